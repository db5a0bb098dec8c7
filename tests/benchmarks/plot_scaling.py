#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Time of one cost+gradient evaluation against the number of points, from trialode_benchmarks' JSON.

Usage (from the repository's root, after building with -DTRIALODE_BUILD_BENCHMARKS=ON in build/):

    ./build/tests/benchmarks/trialode_benchmarks --benchmark_filter=cost_gradient \\
        --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \\
        --benchmark_out=scaling.json --benchmark_out_format=json
    python3 tests/benchmarks/plot_scaling.py scaling.json tests/benchmarks/scaling.png

Writes the PNG with gnuplot (log-log axes, one line per number of hidden units and scalar type, CPU time, medians
over the repetitions) and prints the medians as a Markdown table. Uses only the standard library and
the gnuplot program.
"""
import json
import re
import subprocess
import sys
import tempfile

NAME = re.compile(r"cost_gradient<(float|double), Eigen::Dynamic>/H:(\d+)/points:(\d+)")
SCALE = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def medians(path):
    """{(type, H): {points: microseconds}} from the median aggregates (or the single runs)."""
    with open(path) as f:
        report = json.load(f)
    runs = report["benchmarks"]
    have_medians = any(run.get("aggregate_name") == "median" for run in runs)
    table = {}
    for run in runs:
        if have_medians and run.get("aggregate_name") != "median":
            continue
        match = NAME.fullmatch(run.get("run_name", run["name"]))
        if not match:
            continue
        scalar, hidden, points = match.group(1), int(match.group(2)), int(match.group(3))
        table.setdefault((scalar, hidden), {})[points] = run["cpu_time"] * SCALE[run["time_unit"]]
    if not table:
        sys.exit("plot_scaling.py: no cost_gradient<..., Eigen::Dynamic> results in " + path)
    return table


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, png = sys.argv[1], sys.argv[2]
    table = medians(source)
    series = sorted(table, key=lambda key: (key[0] != "double", key[1]))
    with tempfile.TemporaryDirectory() as directory:
        plots = []
        for index, (scalar, hidden) in enumerate(series):
            data = f"{directory}/series{index}.dat"
            with open(data, "w") as f:
                for points, time in sorted(table[(scalar, hidden)].items()):
                    f.write(f"{points} {time}\n")
            dashes = "" if scalar == "double" else " dashtype 2"
            plots.append(f"'{data}' using 1:2 with linespoints{dashes} linewidth 2 title '{scalar}, H = {hidden}'")
        script = "\n".join([
            "set terminal pngcairo size 800,560 font ',11'" if has_cairo() else "set terminal png size 800,560",
            f"set output '{png}'",
            "set title 'trialode: one cost + gradient evaluation (median CPU time)'",
            "set xlabel 'collocation points'",
            "set ylabel 'time [microseconds]'",
            "set logscale xy",
            "set grid",
            "set key top left",
            "plot " + ", \\\n     ".join(plots),
        ])
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    all_points = sorted({p for values in table.values() for p in values})
    print("| type | H | " + " | ".join(f"{p} points" for p in all_points) + " | per point and unit |")
    print("|---|---|" + "---|" * (len(all_points) + 1))
    for scalar, hidden in series:
        values = table[(scalar, hidden)]
        cells = [f"{values[p]:.3g} us" if p in values else "" for p in all_points]
        largest = max(values)
        per = values[largest] / (largest * hidden) * 1e3
        print(f"| {scalar} | {hidden} | " + " | ".join(cells) + f" | {per:.2f} ns |")


def has_cairo():
    result = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in result.stdout + result.stderr


if __name__ == "__main__":
    main()
