// SPDX-License-Identifier: MIT
// No heap allocation after setup: evaluating the costs (gradient, value, residual Jacobian, random-features
// columns) and iterating L-BFGS on the first-order one. This executable replaces the global operator new and,
// where the linker can wrap symbols (GNU ld, lld), malloc, calloc and realloc, which Eigen calls directly; both
// count their calls.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
// g++ cannot see that operator new below is replaced too, and takes its free() for a mismatch.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "support/solved_problems.hpp"

namespace {

std::atomic<long> new_calls{0};
std::atomic<long> malloc_calls{0};

/// Calls of operator new and of malloc, calloc, realloc so far.
long allocations() { return new_calls.load() + malloc_calls.load(); }

void* counted_new(std::size_t size) {
  ++new_calls;
  return std::malloc(size == 0 ? 1 : size);
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = counted_new(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = counted_new(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_new(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

#ifdef TRIALODE_WRAP_MALLOC
// With -Wl,--wrap=malloc the calls from this executable's code (Eigen's included, all inline) land here;
// the names are the linker's.
extern "C" {
void* __real_malloc(std::size_t size);
void* __real_calloc(std::size_t count, std::size_t size);
void* __real_realloc(void* p, std::size_t size);
void* __wrap_malloc(std::size_t size) {
  ++malloc_calls;
  return __real_malloc(size);
}
void* __wrap_calloc(std::size_t count, std::size_t size) {
  ++malloc_calls;
  return __real_calloc(count, size);
}
void* __wrap_realloc(void* p, std::size_t size) {
  ++malloc_calls;
  return __real_realloc(p, size);
}
}
#endif

namespace {

/// dy/dt = sin t - y^2 / 2 on [0.5, 3], nonlinear so that f_y varies.
template <typename Scalar>
auto nonlinear_problem() {
  return trialode::InitialValueProblem{[](Scalar t, Scalar y) { return std::sin(t) - y * y / Scalar(2); },
                                       [](Scalar, Scalar y) { return -y; }, Scalar(0.5), Scalar(3), Scalar(0.8)};
}

/// y'' = y^2 - y' on [0, 1], y(0) + y'(0) = 2, y(1) + (1/2) integral of y = 1: nonlinear, with a Robin and an
/// integral condition, for the constrained cost.
struct QuadraticDamping {
  template <typename T>
  T operator()(T, T y, T dy) const {
    return T(y * y - dy);
  }
};
template <typename Scalar>
auto conditions_problem() {
  using trialode::derivative_at;
  using trialode::value_at;
  return trialode::LinearConditionProblem<Scalar, 2, QuadraticDamping>{
      QuadraticDamping{}, Scalar(0), Scalar(1),
      {value_at(Scalar(0)) + derivative_at(Scalar(0)) == Scalar(2),
       value_at(Scalar(1)) + Scalar(0.5) * trialode::integral<Scalar>() == Scalar(1)}};
}

/// Allocations made by three evaluations of every kind on a `Cost` of `problem` built with `hidden` units,
/// `points` points; the outputs are sized beforehand, as a minimizer's workspace is. The evaluations differ in
/// the first output weight alone; with `prepared`, an evaluation before them, not counted, prepares the cost
/// for the hidden layer.
template <template <typename, int> class Cost, int Hidden, typename Problem>
long cost_allocations(const Problem& problem, Eigen::Index hidden, Eigen::Index points, bool prepared = false) {
  using Scalar = typename Problem::scalar_type;
  Cost<Problem, Hidden> cost(problem, hidden, trialode::detail::collocation_points(problem.t0, problem.t1, points));
  trialode::SigmoidNetwork<Scalar, Hidden> network(hidden);
  network.initialize(3, problem.t0, problem.t1);
  typename decltype(cost)::Parameters p = network.parameters();
  typename decltype(cost)::Parameters grad(p.size());
  typename decltype(cost)::Residuals r(points);
  typename decltype(cost)::Jacobian jacobian(points, 3 * hidden);
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> phi(points, hidden);
  Scalar sum(0);
  if (prepared) sum += cost.value(p);
  const long before = allocations();
  for (int repeat = 0; repeat < 3; ++repeat) {
    sum += cost(p, grad);
    sum += cost.value(p);
    cost.residuals(p, r, jacobian);
    cost.output_residuals(p, r, phi);
    p[0] += Scalar(0.01);
  }
  const long after = allocations();
  CHECK(std::isfinite(sum + grad.sum() + r.sum() + jacobian.sum() + phi.sum()));
  return after - before;
}

}  // namespace

TEST_CASE("the allocation counters see operator new and Eigen's allocations", "[allocation]") {
  const long before_new = new_calls.load();
  auto* numbers = new std::vector<int>(100);
  const long after_new = new_calls.load();
  delete numbers;
  CHECK(after_new - before_new >= 2);
#ifdef TRIALODE_WRAP_MALLOC
  const long before_malloc = malloc_calls.load();
  Eigen::VectorXd vector(1000);
  vector.setZero();
  const long after_malloc = malloc_calls.load();
  CHECK(after_malloc - before_malloc == 1);
  CHECK(vector.sum() == 0.0);
#else
  WARN("malloc is not wrapped by this linker: only operator new is counted");
#endif
}

TEMPLATE_TEST_CASE("evaluating the cost, its value and its Jacobian allocates nothing", "[allocation][costs]", float,
                   double) {
  using trialode::detail::FirstOrderCost;
  const auto problem = nonlinear_problem<TestType>();
  for (Eigen::Index hidden : {1, 10, 32, 100}) {
    for (Eigen::Index points : {2, 11, 50, 1000}) {
      CAPTURE(hidden, points);
      CHECK(cost_allocations<FirstOrderCost, Eigen::Dynamic>(problem, hidden, points) == 0);
    }
  }
  CHECK(cost_allocations<FirstOrderCost, 10>(problem, 10, 11) == 0);
  CHECK(cost_allocations<FirstOrderCost, 10>(problem, 10, 41) == 0);
}

TEMPLATE_TEST_CASE("evaluating the constrained cost at one hidden layer allocates nothing",
                   "[allocation][costs][linear_conditions]", float, double) {
  // After a first evaluation at the hidden layer, as random features evaluate it. At a new hidden layer the
  // three solves for E, E^w and E^u allocate (SupportSolver::solve returns a new matrix, and Eigen's
  // FullPivLU::solve takes a temporary): no L-BFGS run on this cost here.
  using trialode::detail::ConstrainedCost;
  const auto problem = conditions_problem<TestType>();
  for (Eigen::Index hidden : {1, 10, 32, 100}) {
    for (Eigen::Index points : {2, 11, 50, 1000}) {
      CAPTURE(hidden, points);
      CHECK(cost_allocations<ConstrainedCost, Eigen::Dynamic>(problem, hidden, points, true) == 0);
    }
  }
  CHECK(cost_allocations<ConstrainedCost, 10>(problem, 10, 11, true) == 0);
  CHECK(cost_allocations<ConstrainedCost, 10>(problem, 10, 41, true) == 0);
}

TEMPLATE_TEST_CASE("L-BFGS iterations on the cost allocate nothing", "[allocation][minimizers][lbfgs]", float, double) {
  using Scalar = TestType;
  const auto problem = nonlinear_problem<Scalar>();
  trialode::detail::FirstOrderCost<decltype(problem)> cost(problem, 10,
                                                   trialode::detail::collocation_points(problem.t0, problem.t1, 41));
  trialode::SigmoidNetwork<Scalar> network(10);
  network.initialize(1, problem.t0, problem.t1);
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> x = network.parameters();
  trialode::Lbfgs<Scalar> minimizer(trialode::detail::default_lbfgs_parameters<Scalar>());

  // From the first evaluation (after the workspace is sized) to the last, nothing may be allocated.
  long first = -1;
  long last = -1;
  int calls = 0;
  auto objective = [&](const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& point,
                       Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad) {
    const Scalar value = cost(point, grad);
    last = allocations();
    if (first < 0) first = last;
    ++calls;
    return value;
  };
  auto callback = [&](const trialode::IterationInfo<Scalar>&) {
    last = allocations();
    return true;
  };
  for (int run = 0; run < 2; ++run) {  // a fresh object, then one whose workspace exists
    CAPTURE(run);
    first = -1;
    x = network.parameters();
    const auto report = minimizer.minimize(objective, x, callback);
    CAPTURE(trialode::to_string(report.status), report.iterations);
    CHECK(report.iterations >= 50);
    CHECK(last - first == 0);
  }
  CHECK(calls > 100);
}

namespace {

/// The same problem in double with f and df/dy as `std::function`, for solve() (one instantiation shared with
/// the unit tests, see support/solved_problems.hpp).
trialode_test::FunctionProblem nonlinear_function_problem() {
  const auto problem = nonlinear_problem<double>();
  return {problem.f, problem.dfdy, problem.t0, problem.t1, problem.y0};
}

}  // namespace

TEST_CASE("solve() allocates nothing between its first and last iteration", "[allocation][solve][lbfgs]") {
  const auto problem = nonlinear_function_problem();
  long first = -1;
  long last = -1;
  int iterations = 0;
  trialode::SolveOptions<double> options;
  options.callback = [&](const trialode::IterationInfo<double>& info) {
    last = allocations();
    if (first < 0) first = last;
    iterations = info.iteration;
    return true;
  };
  const auto solution = trialode_test::solve(problem, options);
  CAPTURE(trialode::to_string(solution.report.status));
  CHECK(iterations >= 50);
  CHECK(last - first == 0);
}

TEST_CASE("Levenberg-Marquardt and variable projection iterations in solve() allocate nothing", "[allocation][solve][levenberg_marquardt][variable_projection]") {
  // The nonlinear problem for Levenberg-Marquardt, dy/dt = -y (linear) for variable projection.
  const auto linear = trialode_test::decay_problem<double>();
  for (const trialode::Method method : {trialode::Method::levenberg_marquardt, trialode::Method::variable_projection}) {
    CAPTURE(trialode::to_string(method));
    long first = -1;
    long last = -1;
    int iterations = 0;
    trialode::SolveOptions<double> options;
    options.method = method;
    options.least_squares.max_iterations = 200;
    options.callback = [&](const trialode::IterationInfo<double>& info) {
      last = allocations();
      if (first < 0) first = last;
      iterations = info.iteration;
      return true;
    };
    const auto report = method == trialode::Method::variable_projection
                            ? trialode_test::solve(linear, options).report
                            : trialode_test::solve(nonlinear_function_problem(), options).report;
    CAPTURE(trialode::to_string(report.status));
    CHECK(iterations >= 20);
    CHECK(last - first == 0);
  }
}

namespace {

/// A cost that records the allocation count at its first evaluation, for `RandomFeatures`.
template <typename Cost>
struct FirstEvaluationSpy : Cost {
  using Cost::Cost;
  long first = -1;
  template <typename Phi>
  void output_residuals(const typename Cost::Parameters& p, typename Cost::Residuals& r, Phi& phi) {
    if (first < 0) first = allocations();
    Cost::output_residuals(p, r, phi);
  }
};

/// Allocations made by `RandomFeatures` on a cost from its first evaluation to its last accepted step: the
/// least-squares solve and the Gauss-Newton loop (the report's sentences, written after them, are not counted).
/// The fit starts from the drawn hidden layer, on an object whose workspace was sized at construction.
template <typename Cost, typename Problem>
long random_features_allocations(const Problem& problem, Eigen::Index hidden, Eigen::Index points, bool linear,
                                 trialode::MinimizerReport<double>& report) {
  const Eigen::ArrayXd t =
      trialode::detail::collocation_points(problem.t0, problem.t1, points, trialode::CollocationRule::chebyshev_lobatto);
  FirstEvaluationSpy<Cost> cost(problem, hidden, t);
  trialode::SigmoidNetwork<double> network(hidden);
  network.draw_features(5, problem.t0, problem.t1, 1.0, 18.0, 4.5);
  Eigen::VectorXd weights = network.parameters();
  Eigen::VectorXd buffer = weights;
  trialode::detail::RandomFeatures<double> fitter(cost.layout(), cost.residual_count(),
                                                  trialode::detail::feature_evaluations(cost, buffer),
                                                  trialode::RandomFeaturesParameters<double>());
  long calls = 0;
  long last = -1;
  const trialode::IterationCallback<double> callback = [&calls, &last](const trialode::IterationInfo<double>&) {
    ++calls;
    last = allocations();
    return true;
  };
  report = fitter.fit(weights, linear, callback);
  CHECK(calls == report.iterations);
  CHECK(calls >= 1);
  CHECK(cost.first >= 0);
  CHECK(weights.allFinite());
  return last - cost.first;
}

}  // namespace

TEST_CASE("random features: the least-squares solve and the Gauss-Newton loop allocate nothing",
          "[allocation][random_features]") {
  trialode::MinimizerReport<double> report;
  // dy/dt = -y: one least-squares solve (f as std::function, so that both first-order cases share one cost type).
  using FirstOrder = trialode::detail::FirstOrderCost<trialode_test::FunctionProblem>;
  const trialode_test::FunctionProblem linear{[](double, double y) { return -y; }, [](double, double) { return -1.0; },
                                              0.0, 5.0, 1.0};
  CHECK(random_features_allocations<FirstOrder>(linear, 20, 40, true, report) == 0);
  CHECK(report.status == trialode::MinimizerStatus::converged_linear);
  // dy/dt = sin t - y^2 / 2: Gauss-Newton, damped where a step fails.
  CHECK(random_features_allocations<FirstOrder>(nonlinear_function_problem(), 20, 40, false, report) == 0);
  CAPTURE(trialode::to_string(report.status));
  CHECK(report.iterations >= 3);
  // y'' = 1.5 y^2, y(0) = 4, y(1) = 1: the second-order cost's path.
  const trialode::BoundaryValueProblem bvp{[](double, double y, double) { return 1.5 * y * y; },
                                           [](double, double y, double) { return 3.0 * y; },
                                           [](double, double, double) { return 0.0; }, 0.0, 1.0, 4.0, 1.0};
  CHECK(random_features_allocations<trialode::detail::SecondOrderCost<decltype(bvp)>>(bvp, 20, 40, false, report) == 0);
  CHECK(report.iterations >= 3);
}
