// SPDX-License-Identifier: MIT
// The definition of trialode_test::solve() (declared in solved_problems.hpp), for the files that compile it:
// only support/solves_*.cpp include this, so that no test file compiles solve() itself.
#pragma once

#include "solved_problems.hpp"

template <int Hidden, typename Problem>
trialode::SolutionFor<Problem, Hidden> trialode_test::solve(
    const Problem& problem, const trialode::SolveOptions<typename Problem::scalar_type>& options) {
  return trialode::solve<Hidden>(problem, options);
}

/// Compiles trialode_test::solve<Hidden> for `Problem` in this file.
#define TRIALODE_TEST_SOLVE(Hidden, Problem)                                                                   \
  template trialode::SolutionFor<Problem, Hidden> trialode_test::solve<Hidden, Problem>(const Problem&, \
                                                                                      const trialode::SolveOptions<Problem::scalar_type>&)
