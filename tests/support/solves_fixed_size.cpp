// SPDX-License-Identifier: MIT
// solve<10>() for the problems of the tests that fix the number of units at compile time: one size, so that
// they share Eigen's fixed-size code, which costs more to compile than the dynamic one (see
// solved_problems.hpp and solve_instances.hpp).
#include "solve_instances.hpp"

TRIALODE_TEST_SOLVE(10, trialode_test::DecayProblem<double>);
TRIALODE_TEST_SOLVE(10, trialode_test::OscillatorBvp);
