// SPDX-License-Identifier: MIT
// solve() for the decay problem in float, compiled once (see solved_problems.hpp and solve_instances.hpp).
#include "solve_instances.hpp"

TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::DecayProblem<float>);
