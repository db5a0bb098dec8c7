// SPDX-License-Identifier: MIT
// trialode's random features against Boost.Odeint's Dormand-Prince 5(4) with dense output, side by side in
// one run, on dy/dt = -y (y(0) = 1 on [0, 5]) and Lagaris' problem 2 (y' = exp(-t/5) cos t - y/5, y(0) = 0
// on [0, 2]): the time to produce the solution at 501 equally spaced points and its max error there.
//
// odeint: `integrate_times` of `make_dense_output(tol, tol, runge_kutta_dopri5<double>())` over the 501
// points, one tolerance (absolute = relative) per row. trialode: `solve()` with `Method::random_features`
// and `hidden_units` = H, then `solution.value(grid)` on the 501 points, one H per row, seeds 1 to 20 (the
// row gives the median over the seeds of the error and of the per-seed time, and the worst error).
//
// Timing: every configuration (a tolerance, or an H and a seed) is run in rounds; in each round every
// configuration of both sides and both problems runs for about a millisecond, in a shuffled order, so that
// drift of the machine hits both sides alike. Every call is timed on its own (std::chrono::steady_clock),
// and a configuration's time is the median of its calls. `--quick` runs 3 seeds and 3 short rounds (for
// CI: the program is built and run, its timings are not checked).
#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"

namespace {

namespace odeint = boost::numeric::odeint;

/// How long and how often every configuration is run.
struct Settings {
  int seeds = 20;                  // trialode seeds 1..seeds
  int rounds = 20;                 // rounds over all configurations
  double slice_seconds = 1e-3;     // time of one configuration in one round
};

/// dy/dt = -y, y(0) = 1 on [0, 5]; the exact solution is exp(-t).
struct Decay {
  static constexpr const char* name = "dy/dt = -y, y(0) = 1 on [0, 5]";
  static constexpr double t0 = 0, t1 = 5, y0 = 1, dfdy = -1;
  static double f(double, double y) { return -y; }
  static double exact(double t) { return std::exp(-t); }
};

/// Lagaris, Likas & Fotiadis (1998), problem 2: y' = exp(-t/5) cos t - y/5, y(0) = 0 on [0, 2]; the exact
/// solution is exp(-t/5) sin t.
struct Lagaris2 {
  static constexpr const char* name = "Lagaris 2: y' = exp(-t/5) cos t - y/5, y(0) = 0 on [0, 2]";
  static constexpr double t0 = 0, t1 = 2, y0 = 0, dfdy = -0.2;
  static double f(double t, double y) { return std::exp(-t / 5) * std::cos(t) - y / 5; }
  static double exact(double t) { return std::exp(-t / 5) * std::sin(t); }
};

double median(std::vector<double> values) {
  const std::size_t n = values.size();
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n / 2), values.end());
  const double upper = values[n / 2];
  if (n % 2 == 1) return upper;
  return (upper + *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n / 2))) / 2;
}

/// One configuration: the call that is timed, and the per-call times of all rounds.
struct Timed {
  std::function<void()> call;
  long calls_per_slice = 1;
  std::vector<double> seconds;
};

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Runs every configuration `settings.rounds` times for about `settings.slice_seconds` each, in a new
/// shuffled order every round, timing every call.
void time_all(std::vector<Timed>& all, const Settings& settings) {
  for (Timed& timed : all) {  // warm up, then size the slices
    timed.call();
    const double start = now();
    int calls = 0;
    do {
      timed.call();
      ++calls;
    } while (now() - start < 1e-4);
    const double per_call = (now() - start) / calls;
    timed.calls_per_slice = std::max(1L, static_cast<long>(settings.slice_seconds / per_call));
    timed.seconds.reserve(static_cast<std::size_t>(timed.calls_per_slice * settings.rounds));
  }
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 shuffle(12345);
  for (int round = 0; round < settings.rounds; ++round) {
    std::shuffle(order.begin(), order.end(), shuffle);
    for (std::size_t i : order) {
      Timed& timed = all[i];
      for (long k = 0; k < timed.calls_per_slice; ++k) {
        const auto start = std::chrono::steady_clock::now();
        timed.call();
        const auto stop = std::chrono::steady_clock::now();
        timed.seconds.push_back(std::chrono::duration<double>(stop - start).count());
      }
    }
  }
}

volatile double sink = 0;  // keeps the timed results alive

/// A row of a table: a setting of one side, its error(s) and its time.
struct Row {
  std::string setting;
  double median_error = 0;
  double worst_error = 0;
  double median_seconds = 0;
  std::string note;  // odeint: steps; trialode: rank of the feature matrix, converged starts
  std::vector<std::size_t> timed;  // indices into the list of timed configurations
};

/// The rows of both sides for one problem, and the 501 points they are evaluated at.
struct CaseRows {
  std::string name;
  Eigen::ArrayXd grid;
  std::vector<double> times;  // the same points, for odeint
  std::vector<Row> odeint_rows;
  std::vector<Row> trialode_rows;
};

/// max |y - exact| on `grid`.
template <typename Problem>
double max_error(const Eigen::ArrayXd& y, const Eigen::ArrayXd& grid) {
  double worst = 0;
  for (Eigen::Index i = 0; i < grid.size(); ++i) worst = std::max(worst, std::abs(y[i] - Problem::exact(grid[i])));
  return worst;
}

/// odeint's Dormand-Prince 5(4) with dense output at `times`, into `y`; returns the steps taken.
template <typename Problem>
std::size_t odeint_solve(double tolerance, const std::vector<double>& times, Eigen::ArrayXd& y) {
  auto stepper = odeint::make_dense_output(tolerance, tolerance, odeint::runge_kutta_dopri5<double>());
  double state = Problem::y0;
  Eigen::Index i = 0;
  return odeint::integrate_times(
      stepper, [](const double& x, double& dxdt, double t) { dxdt = Problem::f(t, x); }, state, times.begin(),
      times.end(), (Problem::t1 - Problem::t0) / 500, [&y, &i](const double& x, double) { y[i++] = x; });
}

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string format_time(double seconds) {
  return seconds < 1e-3 ? format("%.1f us", seconds * 1e6) : format("%.3f ms", seconds * 1e3);
}

/// The smallest median time of the rows whose median error is at most `threshold`, or a negative number.
double fastest_within(const std::vector<Row>& rows, double threshold, std::string& which) {
  double best = -1;
  for (const Row& row : rows) {
    if (row.median_error <= threshold && (best < 0 || row.median_seconds < best)) {
      best = row.median_seconds;
      which = row.setting;
    }
  }
  return best;
}

/// Adds the rows of `Problem` to `rows` (computing every configuration's error once, untimed) and its
/// timed configurations to `all`. The configurations refer to `rows.grid` and `rows.times`.
template <typename Problem>
void add_case(const Settings& settings, const std::vector<double>& tolerances,
              const std::vector<Eigen::Index>& hiddens, CaseRows& rows, std::vector<Timed>& all) {
  rows.name = Problem::name;
  rows.grid = Eigen::ArrayXd::LinSpaced(501, Problem::t0, Problem::t1);
  rows.times.assign(rows.grid.data(), rows.grid.data() + rows.grid.size());
  const Eigen::ArrayXd& grid = rows.grid;
  const std::vector<double>& times = rows.times;

  for (double tolerance : tolerances) {
    Row row;
    row.setting = format("tol %.0e", tolerance);
    Eigen::ArrayXd y(grid.size());
    const std::size_t steps = odeint_solve<Problem>(tolerance, times, y);
    row.median_error = row.worst_error = max_error<Problem>(y, grid);
    row.note = std::to_string(steps) + " steps";
    row.timed.push_back(all.size());
    all.push_back({[tolerance, &times] {
                     Eigen::ArrayXd out(static_cast<Eigen::Index>(times.size()));
                     odeint_solve<Problem>(tolerance, times, out);
                     sink = out[250];
                   },
                   1,
                   {}});
    rows.odeint_rows.push_back(row);
  }

  const trialode::InitialValueProblem problem{[](double t, double y) { return Problem::f(t, y); },
                                              [](double, double) { return Problem::dfdy; }, Problem::t0, Problem::t1,
                                              Problem::y0};
  for (Eigen::Index hidden : hiddens) {
    Row row;
    std::vector<double> errors;
    Eigen::Index least_rank = std::numeric_limits<Eigen::Index>::max();
    Eigen::Index most_rank = 0;
    Eigen::Index columns = 0;
    int converged = 0;
    for (int seed = 1; seed <= settings.seeds; ++seed) {
      trialode::SolveOptions<double> options;
      options.method = trialode::Method::random_features;
      options.hidden_units = hidden;
      options.seed = static_cast<std::uint64_t>(seed);
      const auto solution = trialode::solve(problem, options);
      errors.push_back(max_error<Problem>(solution.value(grid), grid));
      least_rank = std::min(least_rank, solution.features.rank);
      most_rank = std::max(most_rank, solution.features.rank);
      columns = solution.features.columns;
      converged += solution.converged() ? 1 : 0;
      row.timed.push_back(all.size());
      all.push_back({[problem, options, &grid] {
                       const auto timed_solution = trialode::solve(problem, options);
                       const Eigen::ArrayXd y = timed_solution.value(grid);
                       sink = y[250];
                     },
                     1,
                     {}});
    }
    row.setting = hidden == 0 ? "H 0 (" + std::to_string(columns) + ")" : "H " + std::to_string(hidden);
    row.median_error = median(errors);
    row.worst_error = *std::max_element(errors.begin(), errors.end());
    const std::string rank = least_rank == most_rank ? std::to_string(least_rank)
                                                     : std::to_string(least_rank) + "-" + std::to_string(most_rank);
    row.note = "rank " + rank + ", converged " + std::to_string(converged) + "/" + std::to_string(settings.seeds);
    rows.trialode_rows.push_back(row);
  }
}

void print_table(const CaseRows& rows, const char* trialode_heading) {
  std::printf("\n%s, max |y - exact| and time for 501 equally spaced points\n", rows.name.c_str());
  std::printf("%-10s %-10s %14s %14s %12s  %s\n", "side", "setting", "median error", "worst error", "median time",
              "odeint: steps; trialode: rank of the features, starts converged");
  for (const Row& row : rows.odeint_rows) {
    std::printf("%-10s %-10s %14.2e %14s %12s  %s\n", "odeint", row.setting.c_str(), row.median_error, "",
                format_time(row.median_seconds).c_str(), row.note.c_str());
  }
  for (const Row& row : rows.trialode_rows) {
    std::printf("%-10s %-10s %14.2e %14.2e %12s  %s\n", trialode_heading, row.setting.c_str(), row.median_error,
                row.worst_error, format_time(row.median_seconds).c_str(), row.note.c_str());
  }
}

void print_read_off(const CaseRows& rows) {
  std::printf("\n%s: fastest configuration whose median error is within the threshold\n", rows.name.c_str());
  for (double threshold : {1e-8, 1e-12}) {
    std::string odeint_which;
    std::string trialode_which;
    const double odeint_time = fastest_within(rows.odeint_rows, threshold, odeint_which);
    const double trialode_time = fastest_within(rows.trialode_rows, threshold, trialode_which);
    const std::string odeint_text =
        odeint_time < 0 ? std::string("not reached") : format_time(odeint_time) + " (" + odeint_which + ")";
    const std::string trialode_text =
        trialode_time < 0 ? std::string("not reached") : format_time(trialode_time) + " (" + trialode_which + ")";
    const std::string ratio =
        odeint_time < 0 || trialode_time < 0 ? std::string("-") : format("%.2f", trialode_time / odeint_time);
    std::printf("  error <= %.0e: odeint %-24s trialode %-24s ratio trialode/odeint %s\n", threshold,
                odeint_text.c_str(), trialode_text.c_str(), ratio.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      settings.seeds = 3;
      settings.rounds = 3;
      settings.slice_seconds = 2e-4;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }

  const std::vector<double> tolerances = {1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15};
  const std::vector<Eigen::Index> hiddens = {0, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 34, 40};

  std::printf("compare_odeint: %d trialode seeds, %d rounds of %.1f ms per configuration, interleaved\n",
              settings.seeds, settings.rounds, settings.slice_seconds * 1e3);
  std::vector<Timed> all;
  std::vector<CaseRows> tables(2);  // sized once: the timed configurations refer to its grids
  add_case<Decay>(settings, tolerances, hiddens, tables[0], all);
  add_case<Lagaris2>(settings, tolerances, hiddens, tables[1], all);

  time_all(all, settings);

  for (CaseRows& rows : tables) {
    for (std::vector<Row>* side : {&rows.odeint_rows, &rows.trialode_rows}) {
      for (Row& row : *side) {
        std::vector<double> per_configuration;
        for (std::size_t i : row.timed) per_configuration.push_back(median(all[i].seconds));
        row.median_seconds = median(per_configuration);
      }
    }
  }
  for (const CaseRows& rows : tables) print_table(rows, "trialode");
  for (const CaseRows& rows : tables) print_read_off(rows);
  return 0;
}
