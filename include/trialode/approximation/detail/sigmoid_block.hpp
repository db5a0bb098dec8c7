// SPDX-License-Identifier: MIT
// The inner loops of the first-order cost: sigmoids of one network over a block of points, the network's
// N and N' there, and the six sums over the points that make up the gradient, written on SIMD packets.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>

namespace trialode {
namespace detail {

/// True when Eigen's vectorized exponential is the faster one. On x86-64 with SSE2 alone (the default
/// target of every x86-64 compiler) it is not: measured with g++ 12, Eigen's packet exp takes 3.8 ns per
/// double and 1.8 ns per float, the C library's scalar exp 2.5 ns and 1.5 ns. From SSE4.1 on (or AVX, or
/// any other SIMD instruction set) Eigen's is faster, 2.5 ns and 1.5 ns per double with SSE4.1 and AVX.
#if defined(EIGEN_VECTORIZE_SSE2) && !defined(EIGEN_VECTORIZE_SSE4_1)
constexpr bool packet_exp_is_faster = false;
#else
constexpr bool packet_exp_is_faster = true;
#endif

/// Sigmoids of \f$H\f$ units over a block of `rows` points, `rows` a multiple of the packet size, stored
/// with a column per unit. `sigmoids()` fills \f$s_{ik} = s(w_k t_i + u_k)\f$ and \f$s'_{ik}\f$ and
/// returns \f$N(t_i) = \sum_k v_k s_{ik}\f$ and \f$N'(t_i) = \sum_k v_k w_k s'_{ik}\f$; `gradient_sums()`
/// then adds, for every unit, the six sums over the points of the gradient formulas.
/// Every loop runs over whole packets: nothing is allocated and no scalar tail remains.
template <typename Scalar>
struct SigmoidBlock {
  using Packet = typename Eigen::internal::packet_traits<Scalar>::type;
  static constexpr int packet_size = Eigen::internal::packet_traits<Scalar>::size;

  /// Points whose exponentials come from one computed exponential by the recurrence of `sigmoids()`, a
  /// whole number of packets; 0 for no recurrence. Each step of the recurrence adds about
  /// \f$1 + |w \delta|\f$ units in the last place to the relative error (the factor's argument is rounded,
  /// as \f$w t + u\f$ is in a direct evaluation, whose error is \f$|w t + u|\f$ units), so 16 points keep
  /// the recurrence's share small in double; in float, where 16 steps would cost about
  /// \f$4 \cdot 10^{-6}\f$ and the exponential is cheap, every exponential is computed.
  static constexpr Eigen::Index recurrence_run =
      std::numeric_limits<Scalar>::digits >= 53 ? std::max<Eigen::Index>(16, packet_size) : 0;
  /// Distance of the computed exponentials (a positive stand-in where there is no recurrence).
  static constexpr Eigen::Index anchor_spacing = recurrence_run > 0 ? recurrence_run : packet_size;

  /// For units \f$k < h\f$ with weights \f$v, w, u\f$ (pointers to \f$h\f$ values each) at the points
  /// `t[0..rows)`: \f$s\f$ into `s`, \f$s'\f$ into `s1` (column k starts at `k * rows`), \f$N\f$ into `n`
  /// and \f$N'\f$ into `dn`. Only the first `count` points are needed: the others are padding, whose
  /// values may be anything finite. One exponential \f$e = \exp(-(w t + u))\f$ per point and unit serves
  /// \f$s = 1/(1 + e)\f$ and \f$s' = s(1 - s)\f$; one that overflows gives \f$s = s' = 0\f$, never NaN.
  ///
  /// When the points are equally spaced, \f$t_i = t_0 + i\,\delta\f$ with `spacing` \f$= \delta > 0\f$
  /// (0 when they are not), consecutive exponentials differ by the factor \f$e^{-w \delta}\f$, and a unit
  /// whose \f$|w t + u|\f$ stays below 0.3 `max_exponent` (307 in double) at the block's first and last
  /// points (so that nothing on the way overflows) gets one exponential in every `recurrence_run` points
  /// and products for the others. Where the packet exponential is fast (any target beyond plain SSE2), it
  /// takes over for short blocks: with AVX-512 and g++ 12, one cost evaluation of 10 units at 11 points
  /// took 250 ns by packet exponentials and 308 ns by the recurrence, at 41 points 595 and 486 ns.
  static void sigmoids(Eigen::Index h, Eigen::Index rows, Eigen::Index count, const Scalar* v, const Scalar* w,
                       const Scalar* u, const Scalar* t, Scalar spacing, Scalar* s, Scalar* s1, Scalar* n,
                       Scalar* dn) {
    namespace ei = Eigen::internal;
    using std::abs;
    using std::exp;
    // |z| below 0.3 max_exponent (307 in double, 43% of ln of the largest value, 709.8) at a block's ends
    // keeps every value the recurrence forms inside the block, up to e^{2 * 307}, finite and normal.
    constexpr Scalar safe = Scalar(0.3) * Scalar(std::numeric_limits<Scalar>::max_exponent);
    const Packet one = ei::pset1<Packet>(Scalar(1));
    for (Eigen::Index i = 0; i < rows; i += packet_size) {
      ei::pstoreu(n + i, ei::pset1<Packet>(Scalar(0)));
      ei::pstoreu(dn + i, ei::pset1<Packet>(Scalar(0)));
    }
    Scalar powers[packet_size];
    for (Eigen::Index k = 0; k < h; ++k) {
      Scalar* sk = s + k * rows;
      Scalar* s1k = s1 + k * rows;
      const Packet wk = ei::pset1<Packet>(w[k]);
      const Packet uk = ei::pset1<Packet>(u[k]);
      const Packet vk = ei::pset1<Packet>(v[k]);
      const Packet vwk = ei::pset1<Packet>(v[k] * w[k]);
      const bool recurrence = recurrence_run > 0 && spacing > Scalar(0) && (!packet_exp_is_faster || rows >= 32) &&
                              abs(w[k] * t[0] + u[k]) < safe &&
                              abs(w[k] * t[count - 1] + u[k]) < safe && abs(w[k] * spacing) < safe;
      Packet step = one;  // e^{-w delta * packet_size}
      if (recurrence) {
        const Scalar ratio = exp(-w[k] * spacing);
        powers[0] = Scalar(1);
        for (int j = 1; j < packet_size; ++j) powers[j] = powers[j - 1] * ratio;
        step = ei::pset1<Packet>(powers[packet_size - 1] * ratio);
      } else if (!packet_exp_is_faster) {
        for (Eigen::Index i = 0; i < count; ++i) sk[i] = exp(-(w[k] * t[i] + u[k]));
        for (Eigen::Index i = count; i < rows; ++i) sk[i] = Scalar(1);  // padding: any finite value
      }
      Packet e = one;
      for (Eigen::Index i = 0; i < rows; i += packet_size) {
        if (recurrence) {
          e = i % anchor_spacing == 0
                  ? ei::pmul(ei::pset1<Packet>(exp(-(w[k] * t[i] + u[k]))), ei::ploadu<Packet>(powers))
                  : ei::pmul(e, step);
        } else if (packet_exp_is_faster) {
          e = ei::pexp(ei::pnegate(ei::padd(ei::pmul(wk, ei::ploadu<Packet>(t + i)), uk)));
        } else {
          e = ei::ploadu<Packet>(sk + i);
        }
        const Packet si = ei::pdiv(one, ei::padd(one, e));
        const Packet s1i = ei::pmul(si, ei::psub(one, si));
        ei::pstoreu(sk + i, si);
        ei::pstoreu(s1k + i, s1i);
        ei::pstoreu(n + i, ei::padd(ei::ploadu<Packet>(n + i), ei::pmul(vk, si)));
        ei::pstoreu(dn + i, ei::padd(ei::ploadu<Packet>(dn + i), ei::pmul(vwk, s1i)));
      }
    }
  }

  /// \f$N = \sum_k v_k s_{ik}\f$ into `n` and \f$N' = \sum_k v_k w_k s'_{ik}\f$ into `dn` from the \f$s, s'\f$
  /// a call of `sigmoids()` left for the same \f$(w, u)\f$: the same operations in the same order, so the
  /// same values, without the exponentials.
  static void sums(Eigen::Index h, Eigen::Index rows, const Scalar* v, const Scalar* w, const Scalar* s,
                   const Scalar* s1, Scalar* n, Scalar* dn) {
    namespace ei = Eigen::internal;
    for (Eigen::Index i = 0; i < rows; i += packet_size) {
      ei::pstoreu(n + i, ei::pset1<Packet>(Scalar(0)));
      ei::pstoreu(dn + i, ei::pset1<Packet>(Scalar(0)));
    }
    for (Eigen::Index k = 0; k < h; ++k) {
      const Packet vk = ei::pset1<Packet>(v[k]);
      const Packet vwk = ei::pset1<Packet>(v[k] * w[k]);
      for (Eigen::Index i = 0; i < rows; i += packet_size) {
        ei::pstoreu(n + i, ei::padd(ei::ploadu<Packet>(n + i), ei::pmul(vk, ei::ploadu<Packet>(s + k * rows + i))));
        ei::pstoreu(dn + i, ei::padd(ei::ploadu<Packet>(dn + i), ei::pmul(vwk, ei::ploadu<Packet>(s1 + k * rows + i))));
      }
    }
  }

  /// With \f$s, s'\f$ from `sigmoids()` and \f$s'' = s'(1 - 2s)\f$, adds for every unit k the sums
  /// \f$\sum_i s\,\alpha\f$, \f$\sum_i s'\beta\f$, \f$\sum_i s'\alpha\f$, \f$\sum_i s''\beta\f$,
  /// \f$\sum_i s'\,t\alpha\f$ and \f$\sum_i s''\,t\beta\f$ to `sums[k + j * h]`, j = 0..5 (a column-major
  /// \f$h \times 6\f$ matrix). `alpha`, `beta`, `t_alpha`, `t_beta` hold `rows` values each.
  static void gradient_sums(Eigen::Index h, Eigen::Index rows, const Scalar* s, const Scalar* s1,
                            const Scalar* alpha, const Scalar* beta, const Scalar* t_alpha, const Scalar* t_beta,
                            Scalar* sums) {
    namespace ei = Eigen::internal;
    const Packet one = ei::pset1<Packet>(Scalar(1));
    const Packet two = ei::pset1<Packet>(Scalar(2));
    for (Eigen::Index k = 0; k < h; ++k) {
      const Scalar* sk = s + k * rows;
      const Scalar* s1k = s1 + k * rows;
      Packet a0 = ei::pset1<Packet>(Scalar(0)), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
      for (Eigen::Index i = 0; i < rows; i += packet_size) {
        const Packet si = ei::ploadu<Packet>(sk + i);
        const Packet s1i = ei::ploadu<Packet>(s1k + i);
        const Packet s2i = ei::pmul(s1i, ei::psub(one, ei::pmul(two, si)));
        const Packet b = ei::ploadu<Packet>(beta + i);
        const Packet a = ei::ploadu<Packet>(alpha + i);
        const Packet tb = ei::ploadu<Packet>(t_beta + i);
        a0 = ei::padd(a0, ei::pmul(si, a));
        a1 = ei::padd(a1, ei::pmul(s1i, b));
        a2 = ei::padd(a2, ei::pmul(s1i, a));
        a3 = ei::padd(a3, ei::pmul(s2i, b));
        a4 = ei::padd(a4, ei::pmul(s1i, ei::ploadu<Packet>(t_alpha + i)));
        a5 = ei::padd(a5, ei::pmul(s2i, tb));
      }
      sums[k] += ei::predux(a0);
      sums[k + h] += ei::predux(a1);
      sums[k + 2 * h] += ei::predux(a2);
      sums[k + 3 * h] += ei::predux(a3);
      sums[k + 4 * h] += ei::predux(a4);
      sums[k + 5 * h] += ei::predux(a5);
    }
  }
};

}  // namespace detail
}  // namespace trialode
