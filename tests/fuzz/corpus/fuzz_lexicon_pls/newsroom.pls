<?xml version="1.0" encoding="UTF-8"?>
<!-- newsroom.pls: a W3C PLS 1.0 house lexicon, as publishers keep them for other speech services. -->
<lexicon version="1.0"
      xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
      alphabet="ipa" xml:lang="en-US">
  <lexeme>
    <grapheme>Vaskevich</grapheme>
    <grapheme>Vaskievič</grapheme>
    <phoneme>vɑːsˈkjɛvɪtʃ</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Shumski</grapheme>
    <phoneme>ˈʃuːmski</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>RFE/RL</grapheme>
    <alias>Radio Free Europe Radio Liberty</alias>
  </lexeme>
</lexicon>
