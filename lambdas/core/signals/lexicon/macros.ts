/**
 * Word groups the phrase rules share, as regular-expression source over normalised text (lower
 * case, straight apostrophes, digits-for-letters decoded, runs of a repeated letter collapsed to
 * one, whitespace to one space). Write words as spelt: the compiler collapses repeated letters in
 * the patterns too ("kill" becomes "kil"), so "kil", "kill" and "killll" all match.
 * `{NAME}` inside a pattern expands to the group of that name.
 */
export const macros: Record<string, string> = {
  I: `(?:i|we)`,
  /** An intent: "I'll", "I will", "I'm going to", "imma", "we're gonna" (and their common typos). */
  I_WILL: `(?:(?:i|we)(?: swear(?: to god)?,? i)?(?:'?ll| will| wil| shall|'?m (?:going|goin|about) (?:to|2|ta)|'?m (?:gonna|gunna)| am (?:going|goin|about) (?:to|2)| am (?:gonna|gunna)|'?re (?:going to|gonna)| are (?:going to|gonna))|imma|ima|watch me)`,
  ADV: String.raw`(?:(?:fucking|fuckin|f\*+ing|f\*+king|f\*+in|really|personally|actually|definitely|just|literally|seriously|happily|gladly|honestly|then|also|still|soon|one day|probably|go and|go) )*`,
  /** "come down there and", "come to the housing office and", "turn up at the depot and". */
  COME_AND: String.raw`(?:(?:come|go|get|pop|head|turn up|be|walk) ?(?:down|round|over|up|in|back|along)?(?: (?:there|here|(?:to|at) (?:the|your|ur|that|this) \w+(?: \w+)?))? (?:and|an|n) (?:i'?ll |i will )?)?`,
  YOU: `(?:you|u|ya|yer|ye|yous|youse|yall|y'all)`,
  YOUR: `(?:your|ur|yer|yor)`,
  YOU_ARE: `(?:you'?re|you are|youre|your|ur|u r|u are|yer)`,
  YOU_WILL: `(?:you'?ll|you will|u will|u'?ll|youll|ul|(?:you'?re|you are|youre|your|ur|u r|u are) (?:going to|gonna|goin to|gona)|you will be|you'?ll be)`,
  KNOW: `(?:know|kno|no|now)`,
  WHERE: `(?:where|were|wear|wer|wher)`,
  STAFF: `(?:officers?|woman|women|man|men|bloke|blokes|girl|girls|lads?|guys?|managers?|receptionists?|staff|workers?|inspectors?|wardens?|attendants?|councillors?|person|people|one|idiots?|clowns?|bailiffs?|drivers?|binm[ae]n|bin m[ae]n|cow|prat|jobsworths?|agents?|assessors?|planners?|surveyors?|contractors?|builders?|engineers?|member of staff|social workers?)`,
  KIN: `(?:family|kids|children|child|wife|husband|partner|son|daughter|mum|mother|dad|father|colleagues|boss|mates?)`,
  /** A person, but never the writer ("me", "myself"): "it'll kill me" is idiom. */
  PERSON: String.raw`(?:{YOU}(?: all| lot| people| two)?|him|her|them|every ?(?:one|body|1|i)|some ?(?:one|body|1|i)|sum ?(?:1|i)|any ?(?:one|body|1|i)|the lot of {YOU}|all of {YOU}|whoever|(?:the|that|this|those|these|your|ur|a|any|every|each|the next|the first) (?:\w+ )?{STAFF}|{YOUR} {KIN})`,
  POSSESSIVE: String.raw`(?:{YOUR}|his|her|their|some ?(?:one|body)'?s|(?:the|that|this|your|ur) (?:\w+ )?\w+'?s)`,
  BODY: `(?:face|faces|head|heads|legs?|arms?|neck|nose|jaw|teeth|kneecaps?|skull|fingers?|throat|ribs)`,
  WEAPON: `(?:knife|knives|gun|guns|blade|machete|shotgun|rifle|crossbow|axe|hammer|baseball bat|cricket bat|bat|acid|petrol|can of petrol|petrol can|jerry ?can|crowbar|weapon|firearm)`,
  /** The end of a clause: punctuation, the end of the text, or a word that starts another. */
  CLAUSE_END: String.raw`(?= ?(?:[.!?,;:)\n]|$|and\b|but\b|if\b|when\b|mate\b|pal\b|i\b|you\b|u\b|trust\b|mark\b|now\b|soon\b|tonight\b|today\b))`,
  /** Lawful ways to press a complaint (1.2): promising these is not intimidation. */
  LAWFUL: String.raw`\b(?:ombudsman|court|courts|solicitors?|lawyers?|legal|mp|councillors?|press|papers?|newspapers?|media|journalists?|complain\w*|tribunal|judicial|review|vote|votes|election|ballot|bbc|itv|news|facebook|twitter|tiktok|appeal|standards|auditors?|police|compensation|costs|damages|invoice|bill)\b`,
};
