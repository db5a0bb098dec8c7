// SPDX-License-Identifier: MIT
// solve() for the systems of the tests in double with a run-time number of units, and quasilinearization of
// the paper's problem 4, compiled once (see solved_problems.hpp and solve_instances.hpp).
#include "solve_instances.hpp"

TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::RotationProblem);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::DynamicRotationProblem);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::FunctionSystem);
TRIALODE_TEST_SOLVE(Eigen::Dynamic, trialode_test::P4);

template trialode::MinimizerReport<double>
trialode::detail::quasilinearize<trialode_test::P4, Eigen::Dynamic, Eigen::VectorXd>(
    trialode::detail::SystemCost<trialode_test::P4, Eigen::Dynamic>&, Eigen::VectorXd&,
    const trialode::QuasilinearizationParameters<double>&, const trialode::IterationCallback<double>&);
