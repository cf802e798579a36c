#!/usr/bin/env bash
# make_cyrillic.sh BYTES OUT: write about BYTES bytes of Cyrillic news text (Belarusian and Russian,
# one paragraph per line, as text copied from a web page) to OUT, for timing `narrate normalize` on
# a long Cyrillic page.
#
# The sentences are the project's own, with their numbers varied and a surname and a place name
# made from syllables in each, so that about a quarter of the words are forms not seen before, as
# in a real page (a page of a few sentences repeated would hide per-word costs behind caches). A
# fixed linear congruential generator makes the same bytes every time.
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") BYTES OUT" >&2
  exit 2
}
[ $# -eq 2 ] || usage
case "$1" in '' | *[!0-9]*) usage ;; esac

LC_ALL=C awk -v target="$1" '
BEGIN {
  n = split("Гарадскі савет @P сабраўся ў аўторак, каб абмеркаваць бюджэт на @Y год.|" \
    "Дэпутаты прагаласавалі за праект @S @N галасамі супраць @M пасля доўгай спрэчкі.|" \
    "Кошт рамонту моста ў @P ацэньваецца ў @N,@M мільёна рублёў.|" \
    "Городской совет утвердил план строительства новой школы на @N мест в районе @P.|" \
    "По словам мэра @S, работы начнутся @D марта и продлятся около двух лет.|" \
    "В прошлом году в городе @P открылись @M библиотеки и один музей, рассказал @S.|" \
    "Жители посёлка @P жаловались на шум и пыль, но большинство поддержало проект.|" \
    "Температура опустилась до −@M °C, а на дорогах у деревни @P образовался гололёд.|" \
    "Чыгуначная станцыя ў @P будзе зачынена з @D па @E ліпеня.|" \
    "Дирекция театра объявила, что премьера спектакля @S состоится @D ноября в 19:00.|" \
    "Стоимость билета до @P составит от @M до @N рублей, сообщает пресс-служба.|" \
    "Пра гэта паведаміў старшыня камітэта @S на сустрэчы з журналістамі.|" \
    "Уровень безработицы снизился до @M,@E процента, что на 0,4 пункта ниже прошлогоднего.|" \
    "Новая линия метро свяжет центр с аэропортом к @Y году, заявил @S.|" \
    "Фермеры из-под @P собрали @M,@E миллиона тонн зерна — больше, чем ожидалось весной.|" \
    "У горадзе @P прайшоў фестываль, на які прыехалі госці з @N краін.|" \
    "Настаўніца @S расказала, што ў школе вучацца @N дзяцей з навакольных вёсак.|" \
    "Врач районной больницы @S напомнил, что прививку можно сделать бесплатно.|" \
    "Аўтобус № @N цяпер ходзіць ад вакзала да @P кожныя @M хвілін.|" \
    "Сборная области заняла второе место, уступив команде из @P со счётом @M:@E.", sentence, "|")
  ns = split("ка|ва|ле|ні|ро|ма|ся|ке|ві|ча|ту|лі|ха|бе|да|зо|пе|ры|мі|на|шу|го", syl, "|")
  split("Ка|Ва|Ле|Ні|Ро|Ма|Ся|Ке|Ві|Ча|Ту|Лі|Ха|Бе|Да|Зо|Пе|Ры|Мі|На|Шу|Го", first, "|")
  nf = split("енка|ская|віч|ёнак|ук|ов|ина|ский|чык|ец", sur, "|")
  np = split("ічы|аў|ск|ава|іна|ец|шчына|поль", pla, "|")
  seed = 12345
  bytes = 0
  while (bytes < target) {
    line = ""
    for (k = 0; k < 5; k++) {
      s = sentence[1 + rnd(n)]
      while (match(s, /@[A-Z]/)) {
        key = substr(s, RSTART + 1, 1)
        if (key == "Y") v = 1990 + rnd(40)
        else if (key == "N") v = 10 + rnd(990)
        else if (key == "M") v = 1 + rnd(40)
        else if (key == "D") v = 1 + rnd(28)
        else if (key == "E") v = 1 + rnd(9)
        else if (key == "S") v = name(sur, nf)
        else v = name(pla, np)
        s = substr(s, 1, RSTART - 1) v substr(s, RSTART + RLENGTH)
      }
      line = line (k ? " " : "") s
    }
    print line
    bytes += length(line) + 1
  }
}
function rnd(range) {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return int(seed / 65536) % range
}
# A made-up name: a capitalized syllable, one to three more and an ending.
function name(endings, count,    word, i, parts) {
  parts = 1 + rnd(3)
  word = first[1 + rnd(ns)]
  for (i = 0; i < parts; i++) word = word syl[1 + rnd(ns)]
  return word endings[1 + rnd(count)]
}' >"$2"
