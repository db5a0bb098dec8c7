// SPDX-License-Identifier: MIT
// Householder QR factorization with column pivoting and the basic least-squares solution, in a workspace sized
// once: what random features solve with, without the normal equations and without allocating per solve.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace trialode {
namespace detail {

/// \f$A P = Q R\f$ for an \f$m \times n\f$ matrix by Householder reflections with column pivoting (Businger
/// & Golub 1965, Numer. Math. 7; the column norms downdated and recomputed where cancellation makes the
/// downdate unreliable, as LAPACK's xGEQP3 does: Drmac & Bujanovic 2008, ACM TOMS 35). Each step moves the
/// remaining column of largest norm to the front, so that \f$|R_{kk}|\f$ falls with \f$k\f$; the numerical
/// rank is the number of \f$|R_{kk}|\f$ above the threshold times \f$|R_{11}|\f$. `solve` gives the basic
/// least-squares solution: the unknowns of the columns beyond the rank are 0.
///
/// Eigen's `ColPivHouseholderQR` does the same, but allocates while it factors; this object allocates only
/// when its sizes change.
template <typename Scalar>
class PivotedQr {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  PivotedQr() = default;
  /// Sizes the workspace for \f$m \times n\f$ matrices.
  PivotedQr(Eigen::Index rows, Eigen::Index cols) { resize(rows, cols); }

  void resize(Eigen::Index rows, Eigen::Index cols) {
    qr_.resize(rows, cols);
    tau_.resize(cols);
    norms_.resize(cols);
    original_norms_.resize(cols);
    permutation_.resize(static_cast<std::size_t>(cols));
  }

  /// Factors `a` (of the size given to `resize`); columns whose \f$|R_{kk}|\f$ falls to `threshold` times
  /// \f$|R_{11}|\f$ or below count as dependent (0 means \f$\varepsilon \min(m, n)\f$). Returns the rank.
  template <typename Derived>
  Eigen::Index factor(const Eigen::MatrixBase<Derived>& a, Scalar threshold = Scalar(0)) {
    using std::abs;
    using std::sqrt;
    const Eigen::Index m = qr_.rows();
    const Eigen::Index n = qr_.cols();
    const Eigen::Index steps = std::min(m, n);
    qr_ = a;
    for (Eigen::Index j = 0; j < n; ++j) {
      permutation_[static_cast<std::size_t>(j)] = j;
      norms_[j] = original_norms_[j] = qr_.col(j).norm();
    }
    const Scalar tolerance = sqrt(std::numeric_limits<Scalar>::epsilon());
    for (Eigen::Index k = 0; k < steps; ++k) {
      Eigen::Index pivot = k;
      for (Eigen::Index j = k + 1; j < n; ++j) {
        if (norms_[j] > norms_[pivot]) pivot = j;
      }
      if (pivot != k) {
        qr_.col(k).swap(qr_.col(pivot));
        std::swap(norms_[k], norms_[pivot]);
        std::swap(original_norms_[k], original_norms_[pivot]);
        std::swap(permutation_[static_cast<std::size_t>(k)], permutation_[static_cast<std::size_t>(pivot)]);
      }
      // The reflection I - tau v v' with v = (1, essential) that maps column k below the diagonal to 0.
      auto essential = qr_.col(k).tail(m - k - 1);
      const Scalar alpha = qr_(k, k);
      const Scalar tail = essential.squaredNorm();
      if (tail == Scalar(0)) {
        tau_[k] = Scalar(0);
      } else {
        const Scalar beta = alpha >= Scalar(0) ? -sqrt(alpha * alpha + tail) : sqrt(alpha * alpha + tail);
        tau_[k] = (beta - alpha) / beta;
        essential /= alpha - beta;
        qr_(k, k) = beta;
        // Every column to the right: c -= tau v (v' c), with v = (1, essential), on SIMD packets.
        const Scalar* vk = essential.data();
        const Eigen::Index length = m - k - 1;
        for (Eigen::Index j = k + 1; j < n; ++j) {
          Scalar* c = qr_.col(j).data() + k;
          const Scalar w = tau_[k] * (c[0] + dot(vk, c + 1, length));
          c[0] -= w;
          subtract_scaled(c + 1, w, vk, length);
        }
      }
      // Downdate the norms of the remaining columns, below row k.
      for (Eigen::Index j = k + 1; j < n; ++j) {
        if (norms_[j] == Scalar(0)) continue;
        const Scalar ratio = abs(qr_(k, j)) / norms_[j];
        const Scalar factor = std::max(Scalar(0), (Scalar(1) + ratio) * (Scalar(1) - ratio));
        const Scalar relative = norms_[j] / original_norms_[j];
        if (factor * relative * relative <= tolerance) {  // cancellation: recompute
          norms_[j] = k + 1 < m ? qr_.col(j).tail(m - k - 1).norm() : Scalar(0);
          original_norms_[j] = norms_[j];
        } else {
          norms_[j] *= sqrt(factor);
        }
      }
    }
    const Scalar relative = threshold > Scalar(0) ? threshold : std::numeric_limits<Scalar>::epsilon() * Scalar(steps);
    const Scalar largest = steps > 0 ? abs(qr_(0, 0)) : Scalar(0);
    rank_ = 0;
    while (rank_ < steps && largest > Scalar(0) && abs(qr_(rank_, rank_)) > relative * largest) ++rank_;
    return rank_;
  }

  /// The numerical rank found by the last `factor`.
  Eigen::Index rank() const { return rank_; }
  /// \f$|R_{11}| / |R_{rr}|\f$, \f$r\f$ the rank: a lower estimate of the condition of the columns used
  /// (infinite for rank 0).
  Scalar condition() const {
    using std::abs;
    return rank_ == 0 ? std::numeric_limits<Scalar>::infinity() : abs(qr_(0, 0)) / abs(qr_(rank_ - 1, rank_ - 1));
  }

  /// The basic solution of \f$\min_x \|A x - b\|\f$ into `x` (\f$n\f$ entries): `b` (\f$m\f$ entries) is
  /// overwritten with \f$Q^T b\f$, and the unknowns of the columns beyond the rank are 0.
  template <typename B, typename X>
  void solve(B& b, X& x) const {
    const Eigen::Index m = qr_.rows();
    for (Eigen::Index k = 0; k < rank_; ++k) {
      if (tau_[k] == Scalar(0)) continue;
      const auto essential = qr_.col(k).tail(m - k - 1);
      auto segment = b.tail(m - k);
      const Scalar w = tau_[k] * (segment[0] + essential.dot(segment.tail(m - k - 1)));
      segment[0] -= w;
      segment.tail(m - k - 1) -= w * essential;  // b is any vector expression: Eigen's operations
    }
    qr_.topLeftCorner(rank_, rank_).template triangularView<Eigen::Upper>().solveInPlace(b.head(rank_));
    x.setZero();
    for (Eigen::Index i = 0; i < rank_; ++i) x[permutation_[static_cast<std::size_t>(i)]] = b[i];
  }

 private:
  using Packet = typename Eigen::internal::packet_traits<Scalar>::type;
  static constexpr Eigen::Index packet = Eigen::internal::packet_traits<Scalar>::size;

  /// \f$\sum_i a_i b_i\f$ over `length` entries, two packets at a time.
  static Scalar dot(const Scalar* a, const Scalar* b, Eigen::Index length) {
    namespace ei = Eigen::internal;
    Packet sum0 = ei::pset1<Packet>(Scalar(0));
    Packet sum1 = sum0;
    Eigen::Index i = 0;
    for (; i + 2 * packet <= length; i += 2 * packet) {
      sum0 = ei::padd(sum0, ei::pmul(ei::ploadu<Packet>(a + i), ei::ploadu<Packet>(b + i)));
      sum1 = ei::padd(sum1, ei::pmul(ei::ploadu<Packet>(a + i + packet), ei::ploadu<Packet>(b + i + packet)));
    }
    Scalar total = ei::predux(ei::padd(sum0, sum1));
    for (; i < length; ++i) total += a[i] * b[i];
    return total;
  }

  /// \f$c_i \mathrel{-}= w a_i\f$ over `length` entries.
  static void subtract_scaled(Scalar* c, Scalar w, const Scalar* a, Eigen::Index length) {
    namespace ei = Eigen::internal;
    const Packet wp = ei::pset1<Packet>(w);
    Eigen::Index i = 0;
    for (; i + packet <= length; i += packet) {
      ei::pstoreu(c + i, ei::psub(ei::ploadu<Packet>(c + i), ei::pmul(wp, ei::ploadu<Packet>(a + i))));
    }
    for (; i < length; ++i) c[i] -= w * a[i];
  }

  Matrix qr_;             ///< R on and above the diagonal, the reflections' essential parts below it
  Vector tau_;            ///< the reflections' factors
  Vector norms_;          ///< the remaining columns' norms below the current row
  Vector original_norms_; ///< their values when last computed directly
  std::vector<Eigen::Index> permutation_;  ///< column i of \f$A P\f$ is column permutation_[i] of A
  Eigen::Index rank_ = 0;
};

}  // namespace detail
}  // namespace trialode
