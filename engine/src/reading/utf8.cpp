#include "utf8.hpp"

#include "narrator/article.hpp"

namespace narrator::detail {
namespace {

bool is_continuation(unsigned char byte) noexcept { return (byte & 0xC0) == 0x80; }

struct LeadRule {
  std::size_t length;
  unsigned char second_min;  // tighter bounds on the second byte exclude overlongs and surrogates
  unsigned char second_max;
};

std::optional<LeadRule> lead_rule(unsigned char lead) noexcept {
  if (lead < 0x80) return LeadRule{1, 0, 0};
  if (lead >= 0xC2 && lead <= 0xDF) return LeadRule{2, 0x80, 0xBF};
  if (lead == 0xE0) return LeadRule{3, 0xA0, 0xBF};
  if (lead == 0xED) return LeadRule{3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return LeadRule{3, 0x80, 0xBF};
  if (lead == 0xF0) return LeadRule{4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return LeadRule{4, 0x80, 0xBF};
  if (lead == 0xF4) return LeadRule{4, 0x80, 0x8F};
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> utf8_sequence_length(std::string_view text,
                                                std::size_t offset) noexcept {
  const auto lead = static_cast<unsigned char>(text[offset]);
  const std::optional<LeadRule> rule = lead_rule(lead);
  if (!rule) return std::nullopt;
  if (rule->length == 1) return 1;
  if (offset + rule->length > text.size()) return std::nullopt;
  const auto second = static_cast<unsigned char>(text[offset + 1]);
  if (second < rule->second_min || second > rule->second_max) return std::nullopt;
  for (std::size_t i = 2; i < rule->length; ++i) {
    if (!is_continuation(static_cast<unsigned char>(text[offset + i]))) return std::nullopt;
  }
  return rule->length;
}

std::size_t count_code_points(std::string_view text) noexcept {
  std::size_t count = 0;
  for (const char c : text) count += is_continuation(static_cast<unsigned char>(c)) ? 0 : 1;
  return count;
}

}  // namespace narrator::detail

namespace narrator {

TextPosition position_of(std::string_view text, std::size_t offset) noexcept {
  TextPosition position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++position.line;
      position.column = 1;
    } else if (!detail::is_continuation(byte)) {
      ++position.column;
    }
  }
  return position;
}

}  // namespace narrator
