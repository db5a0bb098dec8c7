// SPDX-License-Identifier: MIT
// trialode: ordinary differential equations solved by trial-function neural networks
// (Lagaris, Likas & Fotiadis 1998). Include this one header for the whole library.
#pragma once

#include "version.hpp"
#include "derivatives.hpp"
#include "problem.hpp"
#include "second_order_problem.hpp"
#include "system_problem.hpp"
#include "collocation.hpp"
#include "network.hpp"
#include "trial.hpp"
#include "cost.hpp"
#include "cost_second_order.hpp"
#include "cost_system.hpp"
#include "report.hpp"
#include "line_search.hpp"
#include "lbfgs.hpp"
#include "quasilinearization.hpp"
#include "solve.hpp"
#include "solve_second_order.hpp"
#include "solve_system.hpp"
#include "solution_io.hpp"
