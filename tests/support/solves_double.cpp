// SPDX-License-Identifier: MIT
// solve() for the scalar problems of the tests (first and second order) in double with a run-time number of
// units, compiled once and together, so that they share what they have in common (see solved_problems.hpp and
// solve_instances.hpp). The systems are in solves_systems.cpp, so that the two halves compile side by side.
#include "solve_instances.hpp"

TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::DecayProblem<double>);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::AutoDecayProblem);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::FunctionProblem);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::P1);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::P2);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::OscillatorIvp);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::OscillatorBvp);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::QuadraticIvp);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::P3Ivp);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::P3Bvp);
