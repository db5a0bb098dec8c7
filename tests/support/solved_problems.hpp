// SPDX-License-Identifier: MIT
// The problems the tests hand to solve(), as named types, and trialode_test::solve(): trialode::solve() compiled
// once per problem type in support/solves_*.cpp rather than in every test file that calls it. One solve()
// instantiation takes 3 to 10 s at -O3 (every method, Eigen's dense kernels); most problem types are solved in
// several test files.
#pragma once

#include <trialode/trialode.hpp>
#include <trialode_examples/lagaris_problems.hpp>

#include <functional>

#include "test_support.hpp"

namespace trialode_test {

// ---- First-order problems

/// y' = -y with df/dy left to automatic differentiation: `DecayRate` is generic.
using AutoDecayProblem = trialode::InitialValueProblem<double, DecayRate, trialode::AutoDerivative>;

/// A right-hand side or its derivative as `std::function`, so that problems that differ in their f, such as
/// one counting its calls or turning NaN, share one type and one solve().
using ScalarFunction = std::function<double(double t, double y)>;
/// y' = f(t, y) with f and df/dy as `std::function`.
using FunctionProblem = trialode::InitialValueProblem<double, ScalarFunction, ScalarFunction>;

// ---- Second-order problems

/// y'' = -k^2 y (k = `rate`, 1 by default), generic so that its derivatives come from automatic
/// differentiation; counts its calls in `*calls` when `calls` is set.
struct MinusY {
  int* calls = nullptr;
  double rate = 1.0;
  template <typename T>
  T operator()(T, T y, T) const {
    if (calls != nullptr) ++*calls;
    return -(rate * rate) * y;
  }
};
/// y'' = a y + b y y' + c y^2 + d y'^2: linear for b = c = d = 0, otherwise the usual mistakes of a linear fit.
struct QuadraticRhs {
  double a = 0, b = 0, c = 0, d = 0;
  template <typename T>
  T operator()(T, T y, T dy) const {
    return a * y + b * y * dy + c * y * y + d * dy * dy;
  }
};
using OscillatorIvp = trialode::SecondOrderProblem<double, MinusY>;
using OscillatorBvp = trialode::BoundaryValueProblem<double, MinusY>;
using QuadraticIvp = trialode::SecondOrderProblem<double, QuadraticRhs>;

/// y'' = -y, y(0) = 0, y'(0) = 1 on [0, 2]: sin t.
inline OscillatorIvp oscillator() { return {MinusY{}, 0.0, 2.0, 0.0, 1.0}; }

// ---- Systems

/// y1' = k y2, y2' = -k y1 (k = `rate`, 1 by default), generic so that the Jacobian comes from automatic
/// differentiation; for any n >= 2 equations it gives two values (a wrong size for n > 2).
struct Rotation {
  double rate = 1.0;
  template <typename T, typename Y>
  Eigen::Matrix<T, 2, 1> operator()(T, const Y& y) const {
    return Eigen::Matrix<T, 2, 1>(T(rate * y[1]), T(-rate * y[0]));
  }
};
using RotationProblem = trialode::SystemProblem<double, 2, Rotation>;
/// The same with the number of equations known at run time only.
using DynamicRotationProblem = trialode::SystemProblem<double, Eigen::Dynamic, Rotation>;

/// y1' = y2, y2' = -y1, y(0) = (0, 1) on [0, 2]: (sin t, cos t).
inline RotationProblem rotation() { return {Rotation{}, 0.0, 2.0, Eigen::Vector2d(0.0, 1.0)}; }

/// A system of run-time size with f and its Jacobian as plain functions, so that systems that differ in them
/// share one type.
using VectorFunction = Eigen::VectorXd (*)(double t, const Eigen::VectorXd& y);
using MatrixFunction = Eigen::MatrixXd (*)(double t, const Eigen::VectorXd& y);
using FunctionSystem = trialode::SystemProblem<double, Eigen::Dynamic, VectorFunction, MatrixFunction>;

// ---- The paper's problems (Lagaris, Likas & Fotiadis 1998)

using P1 = decltype(lagaris::p1());
using P2 = decltype(lagaris::p2());
using P3Ivp = decltype(lagaris::p3ivp());
using P3Bvp = decltype(lagaris::p3bvp());
using P4 = decltype(lagaris::p4());

/// `trialode::solve<Hidden>(problem, options)`, for the problem types above: declared here, defined and
/// compiled once for each type in support/solves_*.cpp. Solving a type that is not listed there fails to
/// link: add it to the list (or call trialode::solve, compiled in the calling file).
template <int Hidden = Eigen::Dynamic, typename Problem>
trialode::SolutionFor<Problem, Hidden> solve(const Problem& problem,
                                             const trialode::SolveOptions<typename Problem::scalar_type>& options = {});

}  // namespace trialode_test

namespace trialode::detail {

/// Quasilinearization of the paper's problem 4, which tests/methods/test_quasilinearization.cpp runs by itself:
/// compiled with solve() for P4 in support/solves_systems.cpp (this declaration keeps the test file from
/// compiling it again).
extern template MinimizerReport<double> quasilinearize<trialode_test::P4, Eigen::Dynamic, Eigen::VectorXd>(
    SystemCost<trialode_test::P4, Eigen::Dynamic>& cost, Eigen::VectorXd& weights,
    const QuasilinearizationParameters<double>& parameters, const IterationCallback<double>& callback);

}  // namespace trialode::detail
