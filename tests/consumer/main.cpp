// SPDX-License-Identifier: MIT
// Solves y' = -y with an installed trialode and fails unless the answer is right.
#include <trialode/trialode.hpp>

#include <cmath>
#include <cstdio>

int main() {
  trialode::InitialValueProblem decay{[](double, double y) { return -y; }, [](double, double) { return -1.0; },
                                      0.0, 5.0, 1.0};
  const auto solution = trialode::solve(decay);
  double error = 0.0;
  for (int i = 0; i <= 500; ++i) {
    const double t = 5.0 * i / 500.0;
    error = std::fmax(error, std::fabs(solution(t) - std::exp(-t)));
  }
  std::printf("consumer: status=%s max_abs_error=%.3g\n", trialode::to_string(solution.report.status), error);
  return solution.converged() && error <= 1e-4 ? 0 : 1;
}
