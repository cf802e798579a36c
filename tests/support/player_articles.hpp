// player_articles.hpp: the articles the player is tested on, shared by the fake-device tests
// (tests/cli/player_test.cpp) and the real-terminal ones (tests/cli/playback_test.cpp).
#pragma once

#include <string>

namespace narrator::test {

// A headline and two short paragraphs: three paragraphs, a few seconds of speech.
inline const std::string kPlayerArticle =
    "Rain Returns to Minsk\n\n"
    "Light rain fell across the capital on Tuesday morning. Forecasters expect more by Friday.\n\n"
    "Farmers in the south welcomed the change after a dry month.\n";

// A headline then 12 two-sentence paragraphs (13 paragraphs in all), for keys pressed part-way.
inline std::string long_player_article() {
  std::string text = "A Long Report\n\n";
  for (int i = 1; i <= 12; ++i) {
    text += "Paragraph " + std::to_string(i) +
            " describes the weather in some detail, with numbers and places. It goes on for a "
            "while, so that there is time to press a key.\n\n";
  }
  return text;
}

}  // namespace narrator::test
