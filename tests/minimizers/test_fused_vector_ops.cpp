// SPDX-License-Identifier: MIT
// The fused vector passes of L-BFGS's two-loop recursion against the plain Eigen expressions they replace,
// for every length up to a few packets.
#include <catch2/catch.hpp>

#include <trialode/minimizers/detail/fused_vector_ops.hpp>

#include <cstdint>
#include <limits>
#include <random>

namespace {

template <typename Scalar>
using VectorX = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

}  // namespace

TEMPLATE_TEST_CASE("The fused passes of L-BFGS compute what the plain vector expressions compute", "[minimizers][lbfgs]", float,
                   double, long double) {
  using Vector = VectorX<TestType>;
  namespace detail = trialode::detail;
  const std::uint32_t seed = 7;
  std::mt19937 generator(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  const auto random_vector = [&](Eigen::Index n) {
    return Vector(Vector::NullaryExpr(n, [&]() { return static_cast<TestType>(uniform(generator)); }));
  };
  const TestType a = TestType(-0.37);
  const TestType scale = TestType(1.9);
  for (Eigen::Index n = 0; n <= 41; ++n) {
    INFO("n = " << n << ", seed " << seed);
    const Vector x = random_vector(n);
    const Vector z = random_vector(n);
    const Vector g = random_vector(n);
    const Vector d0 = random_vector(n);
    // The updates are elementwise and exact to the bit; the sums of the two-loop recursion's order are
    // only close to Eigen's, those in Eigen's order equal them.
    const TestType close = TestType(64) * std::numeric_limits<TestType>::epsilon() * TestType(n + 1);

    Vector d(n);
    const TestType negated = detail::negate_and_dot(d.data(), g.data(), z.data(), n);
    CHECK(d == -g);
    CHECK(negated == Approx(z.dot(-g)).margin(close));

    d = d0;
    const Vector updated = d0 + a * x;
    const TestType recursion = detail::update_and_dot(d.data(), a, x.data(), z.data(), n);
    CHECK(d == updated);
    CHECK(recursion == Approx(z.dot(updated)).margin(close));

    d = d0;
    const TestType eigen_order = detail::update_and_dot<detail::SumOrder::eigen>(d.data(), a, x.data(), g.data(), n);
    CHECK(d == updated);
    CHECK(eigen_order == g.dot(updated));

    d = d0;
    const Vector scaled = scale * (d0 + a * x);
    const TestType scaled_dot = detail::update_scale_and_dot(d.data(), a, x.data(), scale, z.data(), n);
    CHECK(d == scaled);
    CHECK(scaled_dot == Approx(z.dot(scaled)).margin(close));

    Vector x_previous = d0;
    Vector g_previous = z;
    Vector s(n);
    Vector y(n);
    const auto products = detail::difference_pair(x.data(), x_previous.data(), g.data(), g_previous.data(), s.data(),
                                                  y.data(), n);
    CHECK(s == x - d0);
    CHECK(y == g - z);
    CHECK(x_previous == x);
    CHECK(g_previous == g);
    CHECK(products.sy == s.dot(y));
    CHECK(products.yy == y.squaredNorm());
    CHECK(products.ss == s.squaredNorm());
  }
}
