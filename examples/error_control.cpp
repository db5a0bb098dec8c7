// SPDX-License-Identifier: MIT
// Error control on a long interval: y'' + y = 0, y(0) = 1, y'(0) = 0 on [0, T], whose solution is cos t, solved
// with options.tolerance, so that solve() marches in time over segments until its error bound meets the tolerance.
//
//   error_control [--end T] [--tolerance TOL] [--csv FILE]
//
// T defaults to 100, TOL to 1e-10, FILE to error_control.csv. Prints the status, the error bound, the segments,
// their units and how many reused a least-squares factorization, the time of solve(), and the true error
// max |y - cos t| on 2001 equally spaced points of [0, T] with whether the bound covers it; writes the CSV
// (columns t, y, exact, abs_error, segment_bound: the bound of the segment serving t) on 4001 equally spaced
// points for plot_error_control.gp. Exits with 0 when solve() met the tolerance and the bound is at least the
// true error, 1 otherwise.
#include <trialode/trialode.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

int usage(const char* program) {
  std::fprintf(stderr, "usage: %s [--end T] [--tolerance TOL] [--csv FILE]\n", program);
  return 2;
}

// A positive finite number, or 0 when `text` is not one.
double positive(const char* text) {
  char* end = nullptr;
  const double x = std::strtod(text, &end);
  return end != text && *end == '\0' && std::isfinite(x) && x > 0.0 ? x : 0.0;
}

// `count` equally spaced points of [0, end], both ends included.
Eigen::ArrayXd grid(double end, int count) { return Eigen::ArrayXd::LinSpaced(count, 0.0, end); }

}  // namespace

int main(int argc, char** argv) {
  double end = 100.0;
  trialode::SolveOptions<double> options;
  options.tolerance = 1e-10;
  std::string csv_path = "error_control.csv";
  for (int i = 1; i < argc; ++i) {
    if (i + 1 >= argc) return usage(argv[0]);
    const char* value = argv[++i];
    if (std::strcmp(argv[i - 1], "--end") == 0) {
      end = positive(value);
      if (end == 0.0) return usage(argv[0]);
    } else if (std::strcmp(argv[i - 1], "--tolerance") == 0) {
      options.tolerance = positive(value);
      if (options.tolerance == 0.0) return usage(argv[0]);
    } else if (std::strcmp(argv[i - 1], "--csv") == 0) {
      csv_path = value;
    } else {
      return usage(argv[0]);
    }
  }

  // y'' = f(t, y, y') = -y, y(0) = 1, y'(0) = 0; df/dy and df/dy' by automatic differentiation.
  const trialode::SecondOrderProblem oscillator{[](auto, auto y, auto) { return -y; }, 0.0, end, 1.0, 0.0};

  const auto start = std::chrono::steady_clock::now();
  const auto solution = trialode::solve(oscillator, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Eigen::Index fewest_units = solution.segment(0).network().hidden_units();
  Eigen::Index most_units = fewest_units;
  double shortest = solution.t1() - solution.t0();
  double longest = 0.0;
  for (Eigen::Index k = 0; k < solution.segments(); ++k) {
    const Eigen::Index units = solution.segment(k).network().hidden_units();
    fewest_units = std::min(fewest_units, units);
    most_units = std::max(most_units, units);
    const std::size_t i = static_cast<std::size_t>(k);
    const double length = solution.segment_ends()[i + 1] - solution.segment_ends()[i];
    shortest = std::min(shortest, length);
    longest = std::max(longest, length);
  }

  const Eigen::ArrayXd t = grid(end, 2001);
  const double true_error = (solution.value(t) - t.cos()).abs().maxCoeff();
  const bool covered = solution.error_bound >= true_error;

  std::printf("trialode %s: y'' + y = 0, y(0) = 1, y'(0) = 0 on [0, %g], tolerance %.1e\n", TRIALODE_VERSION_STRING,
              end, options.tolerance);
  std::printf("status: %s\n", trialode::to_string(solution.report.status));
  std::printf("  %s\n", solution.report.message.c_str());
  std::printf("error_bound: %.3e (absolute Green's-function bound %.3e, estimate %.3e)\n", solution.error_bound,
              solution.error_bound_absolute, solution.error_estimate);
  std::printf("segments: %ld, length %.4g to %.4g; units per segment: ", static_cast<long>(solution.segments()),
              shortest, longest);
  if (fewest_units == most_units) {
    std::printf("%ld\n", static_cast<long>(most_units));
  } else {
    std::printf("%ld to %ld\n", static_cast<long>(fewest_units), static_cast<long>(most_units));
  }
  std::printf("segment bounds: first %.3e, last %.3e\n", solution.segment_error_bounds[0],
              solution.segment_error_bounds[solution.segments() - 1]);
  // Segments of one length share the feature matrix of their least-squares fit (f is linear with constant
  // coefficients): its factorization is reused rather than computed again.
  std::printf("least-squares factorizations reused: %ld of %ld segments after the first\n",
              static_cast<long>(solution.features.reused_factorizations), static_cast<long>(solution.segments() - 1));
  std::printf("time of solve(): %.3g ms\n", seconds * 1e3);
  std::printf("true error max |y - cos t| on 2001 points: %.3e\n", true_error);
  std::printf("the bound %s the true error (bound / error = %.3g)\n", covered ? "covers" : "DOES NOT cover",
              solution.error_bound / true_error);

  std::FILE* csv = std::fopen(csv_path.c_str(), "w");
  if (csv == nullptr) {
    std::fprintf(stderr, "cannot write %s\n", csv_path.c_str());
    return 1;
  }
  const Eigen::ArrayXd fine = grid(end, 4001);
  const Eigen::ArrayXd y = solution.value(fine);
  std::fprintf(csv, "t,y,exact,abs_error,segment_bound\n");
  for (Eigen::Index i = 0; i < fine.size(); ++i) {
    const double exact = std::cos(fine[i]);
    std::fprintf(csv, "%.9g,%.17g,%.17g,%.6e,%.6e\n", fine[i], y[i], exact, std::fabs(y[i] - exact),
                 solution.segment_error_bounds[solution.segment_of(fine[i])]);
  }
  std::fclose(csv);
  std::printf("\nwrote %s (4001 points)\n", csv_path.c_str());
  return solution.converged() && covered ? 0 : 1;
}
