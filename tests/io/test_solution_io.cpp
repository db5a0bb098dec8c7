// SPDX-License-Identifier: MIT
// Saving and loading trained solutions: bit-exact round trips for every trial form and a system, and a
// clear error naming the line for malformed, truncated or mismatched files.
#include <catch2/catch.hpp>

#include <trialode/trialode.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <sstream>
#include <string>

#include "support/solved_problems.hpp"

namespace {

template <typename Solution>
Solution round_trip(const Solution& solution, std::string* text = nullptr) {
  std::stringstream stream;
  trialode::save(solution, stream);
  if (text) *text = stream.str();
  return trialode::load<Solution>(stream);
}

// A solution of y'' = -y with weights that are not short in binary, as after a fit.
trialode::Solution<double, trialode::SecondOrderTrial<double>> second_order_solution() {
  trialode::SigmoidNetwork<double> net(4);
  net.initialize(5, 0.0, 2.0);
  Eigen::VectorXd p = net.parameters();
  p[0] = 1.0 / 3.0;
  p[5] = -std::exp(1.0) * 1e-300;
  return {{0.1, 0.7, -1.0 / 7.0}, trialode::SigmoidNetwork<double>(4, p), 0.1, 2.3};
}

}  // namespace

TEST_CASE("save and load give back the same bits for every trial form", "[io]") {
  const auto second = second_order_solution();
  std::string text;
  const auto loaded = round_trip(second, &text);
  CHECK(loaded.network().parameters() == second.network().parameters());
  CHECK(loaded.trial().t0 == 0.1);
  CHECK(loaded.trial().y0 == 0.7);
  CHECK(loaded.trial().dy0 == -1.0 / 7.0);
  CHECK(loaded.t0() == 0.1);
  CHECK(loaded.t1() == 2.3);
  for (double t : {0.1, 0.77, 2.3, 3.0}) CHECK(loaded(t) == second(t));
  CHECK(text.rfind("trialode-solution 1\nform second_order\nscalar double\n", 0) == 0);
  CHECK(text.find("\nhidden 4\n") != std::string::npos);

  // The saved file of a fitted first-order solution, in float, and a Dirichlet one with a fixed size.
  const auto decay = trialode_test::solve(trialode_test::DecayProblem<float>{{}, {}, 0.0f, 2.0f, 1.0f});
  const auto decay_loaded = round_trip(decay);
  CHECK(decay_loaded.network().parameters() == decay.network().parameters());
  CHECK(decay_loaded(1.5f) == decay(1.5f));
  trialode::SigmoidNetwork<long double, 3> small;
  small.initialize(2, -1.0L, 1.0L);
  const trialode::Solution<long double, trialode::DirichletTrial<long double>, 3> dirichlet(
      {-1.0L, 1.0L, 0.1L, 1.0L / 3.0L}, small, -1.0L, 1.0L);
  const auto dirichlet_loaded = round_trip(dirichlet);
  CHECK(dirichlet_loaded.network().parameters() == dirichlet.network().parameters());
  CHECK(dirichlet_loaded.trial().yb == 1.0L / 3.0L);
  CHECK(dirichlet_loaded(0.3L) == dirichlet(0.3L));
}

TEST_CASE("a system solution round-trips through a file", "[io][system]") {
  std::vector<trialode::SigmoidNetwork<double>> networks;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    networks.emplace_back(5);
    networks.back().initialize(seed, 0.0, 3.0);
  }
  const trialode::SystemSolution<double> system(trialode::SystemTrial<double>{0.0, Eigen::Vector3d(0.1, -2.0 / 3.0, 5.0)}, networks, 0.0,
                                                3.0);
  const std::string path = "trialode_test_io_system.txt";
  trialode::save(system, path);
  const auto loaded = trialode::load<trialode::SystemSolution<double>>(path);
  std::remove(path.c_str());
  REQUIRE(loaded.components() == 3);
  for (std::size_t k = 0; k < 3; ++k) CHECK(loaded.networks()[k].parameters() == system.networks()[k].parameters());
  CHECK(loaded.trial().y0 == system.trial().y0);
  CHECK(loaded.trial().t0 == 0.0);
  CHECK(loaded(1.7) == system(1.7));
  CHECK(loaded.contains(3.0));
  CHECK_FALSE(loaded.contains(3.01));
  // No fit was run for a loaded solution, and its report says so.
  CHECK(loaded.report.status == trialode::MinimizerStatus::not_run);
  CHECK_FALSE(loaded.converged());
  CHECK(std::string(trialode::to_string(loaded.report.status)) == "not_run");
  // The same file read as a compile-time size of 3 works; as 2 it names the line.
  std::stringstream stream;
  trialode::save(system, stream);
  const std::string text = stream.str();
  std::istringstream again(text);
  using Triple = trialode::SystemSolution<double, 3>;
  CHECK(trialode::load<Triple>(again)(1.7) == system(1.7));
  std::istringstream wrong(text);
  using Pair = trialode::SystemSolution<double, 2>;
  CHECK_THROWS_WITH(trialode::load<Pair>(wrong), Catch::Contains("line 5"));
}

TEST_CASE("save reports a failed write, such as a full disk, as std::runtime_error", "[io]") {
  // /dev/full accepts the open and fails every write with ENOSPC; the file is small enough to sit in the
  // stream's buffer until it is flushed.
  if (std::FILE* probe = std::fopen("/dev/full", "w")) {
    std::fclose(probe);
  } else {
    WARN("/dev/full does not exist here: the failed-write test is skipped");
    return;
  }
  const auto solution = second_order_solution();
  CHECK_THROWS_AS(trialode::save(solution, std::string("/dev/full")), std::runtime_error);
  CHECK_THROWS_WITH(trialode::save(solution, std::string("/dev/full")), Catch::Contains("'/dev/full'"));
  std::ofstream stream("/dev/full");
  REQUIRE(stream);
  CHECK_THROWS_AS(trialode::save(solution, stream), std::runtime_error);
}

TEST_CASE("malformed, truncated and mismatched files give an error naming the line", "[io]") {
  std::string text;
  round_trip(second_order_solution(), &text);
  using Second = trialode::Solution<double, trialode::SecondOrderTrial<double>>;
  const auto load_text = [](const std::string& s) {
    std::istringstream in(s);
    return trialode::load<Second>(in);
  };
  const auto replace_line = [&text](int line, const std::string& with) {
    std::istringstream in(text);
    std::string out, current;
    for (int i = 1; std::getline(in, current); ++i) out += (i == line ? with : current) + "\n";
    return out;
  };
  CHECK_NOTHROW(load_text(text));
  CHECK_THROWS_AS(load_text(""), trialode::SolutionFileError);
  CHECK_THROWS_AS(load_text(""), std::invalid_argument);
  CHECK_THROWS_WITH(load_text(""), Catch::Contains("line 1: the file ends early"));
  CHECK_THROWS_WITH(load_text(text.substr(0, text.size() / 2)), Catch::Contains("line 8") || Catch::Contains("line 9"));
  CHECK_THROWS_WITH(load_text(replace_line(1, "trialode-solution 2")), Catch::Contains("line 1: unsupported format version"));
  CHECK_THROWS_WITH(load_text(replace_line(2, "form dirichlet")), Catch::Contains("line 2") && Catch::Contains("'dirichlet'"));
  CHECK_THROWS_WITH(load_text(replace_line(3, "scalar float")), Catch::Contains("line 3: the file holds float values"));
  CHECK_THROWS_WITH(load_text(replace_line(4, "interval 0x1p+0 0x0p+0")), Catch::Contains("line 4: the interval's end"));
  CHECK_THROWS_WITH(load_text(replace_line(5, "constants 0x1p+0")), Catch::Contains("line 5: expected 'constants' followed by 2"));
  CHECK_THROWS_WITH(load_text(replace_line(5, "constants 0x1p+0 nan")),
                    Catch::Contains("line 5: 'nan' is not a finite double"));
  CHECK_THROWS_WITH(load_text(replace_line(5, "constants 0x1p+0 1.5x")), Catch::Contains("line 5: '1.5x'"));
  CHECK_THROWS_WITH(load_text(replace_line(6, "networks 2")), Catch::Contains("line 6: a scalar solution has 1 network"));
  CHECK_THROWS_WITH(load_text(replace_line(7, "hidden zero")), Catch::Contains("line 7: 'zero' is not a positive count"));
  CHECK_THROWS_WITH(load_text(replace_line(7, "hidden 5")), Catch::Contains("line 8: expected 'weights' followed by 3 * hidden = 15"));
  CHECK_THROWS_WITH(load_text(replace_line(8, "weights 1 2 3")), Catch::Contains("line 8"));
  CHECK_THROWS_WITH(load_text(replace_line(9, "the end")), Catch::Contains("line 9: expected 'end'"));
  CHECK_THROWS_WITH((trialode::load<trialode::Solution<double, trialode::SecondOrderTrial<double>, 5>>(std::string("/nonexistent/dir/file.txt"))),
                    Catch::Contains("cannot open '/nonexistent/dir/file.txt'"));
  std::istringstream fixed_size(text);
  CHECK_THROWS_WITH((trialode::load<trialode::Solution<double, trialode::SecondOrderTrial<double>, 5>>(fixed_size)),
                    Catch::Contains("line 7: the networks have 4 units, but the solution type fixes 5"));
}
