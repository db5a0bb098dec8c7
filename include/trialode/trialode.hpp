// SPDX-License-Identifier: MIT
// trialode: ordinary differential equations solved by trial-function neural networks
// (Lagaris, Likas & Fotiadis 1998). Include this one header for the whole library. The headers are listed
// in the order of the data flow: problem -> collocation points, network, trial function -> residual, cost,
// gradient, Jacobian -> minimizer -> method -> solve -> solution -> file.
#pragma once

/// \namespace trialode
/// Ordinary differential equations solved by trial-function neural networks (Lagaris, Likas & Fotiadis
/// 1998): a trial solution \f$y(t) = A(t) + B(t) N(t)\f$ meets the conditions by construction, and the
/// weights of the network \f$N\f$ minimize the residual of the equation at collocation points.

/// \mainpage
/// Ordinary differential equations solved by trial-function neural networks (Lagaris, Likas & Fotiadis,
/// IEEE Trans. Neural Networks 9(5), 1998). Include `<trialode/trialode.hpp>`, state the problem as an
/// `InitialValueProblem`, `SecondOrderProblem`, `BoundaryValueProblem` or `SystemProblem`, and call
/// `trialode::solve()` with `SolveOptions`; it returns a `Solution` or a `SystemSolution`, which gives
/// \f$y\f$, \f$y'\f$ and \f$y''\f$ anywhere, the minimizer's `MinimizerReport` and the residual
/// diagnostics, and which `save()` writes and `load()` reads back. The minimizers, `Lbfgs` and
/// `LevenbergMarquardt`, minimize any objective and know nothing of ODEs.

#include "version.hpp"

#include "problems/first_order.hpp"
#include "problems/second_order.hpp"
#include "problems/system.hpp"
#include "problems/linear_conditions.hpp"

#include "approximation/collocation.hpp"
#include "approximation/weights.hpp"
#include "approximation/network.hpp"
#include "approximation/trial.hpp"
#include "approximation/constrained_trial.hpp"

#include "costs/residual.hpp"
#include "costs/first_order_cost.hpp"
#include "costs/second_order_cost.hpp"
#include "costs/system_cost.hpp"
#include "costs/constrained_cost.hpp"

#include "minimizers/report.hpp"
#include "minimizers/line_search.hpp"
#include "minimizers/lbfgs.hpp"
#include "minimizers/levenberg_marquardt.hpp"

#include "methods/method.hpp"
#include "methods/variable_projection.hpp"
#include "methods/quasilinearization.hpp"
#include "methods/random_features.hpp"

#include "solve/options.hpp"
#include "solve/solution.hpp"
#include "solve/error_bound.hpp"
#include "solve/start.hpp"
#include "solve/fit.hpp"
#include "solve/starts.hpp"
#include "solve/solve.hpp"

#include "io/solution_io.hpp"
