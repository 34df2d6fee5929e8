import type { PhraseRule } from './phrase-rule';

/**
 * Intimidation: menace without a stated act of violence — knowing where someone lives, watching,
 * waiting outside, "you'll regret this" (3.2.8; 3.1 counts intimidating officers as abuse).
 * Promising lawful action (ombudsman, court, MP, the press) is a legitimate challenge (1.2), so
 * the rules that could read as either give way to {LAWFUL} words in the same sentence.
 */
export const intimidationRules: readonly PhraseRule[] = [
  {
    id: 'intimidation.know-where-you-live',
    category: 'intimidation',
    confidence: 0.85,
    pattern: String.raw`{I} {KNOW} {WHERE} (?:{YOU}|{YOUR} (?:\w+ )?{KIN}) (?:all )?(?:live|living|sleep|stay)`,
  },
  {
    id: 'intimidation.know-where-they-are',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`{I} {KNOW} {WHERE} (?:{YOU}|he|she|they|[a-z]+|the \w+(?: \w+)?) (?:all )?(?:lives|work|works|park|parks|drinks?|stays|sleeps|drops? (?:\w+ )?off)`,
    unless: String.raw`\b(?:number|no\.? ?\d|flat|address|it'?s|next door|opposite|road|street|close|avenue|lane|the one|above|below|upstairs|downstairs)\b`,
  },
  {
    id: 'intimidation.found-out-where-you-live',
    category: 'intimidation',
    confidence: 0.8,
    pattern: String.raw`(?:found out|find out|worked out|work out|discovered|tracked down|got) {WHERE} (?:{YOU}|he|she|they|the \w+(?: \w+)?|[a-z]+) (?:all )?(?:live|lives|living)`,
  },
  {
    id: 'intimidation.know-your-family',
    category: 'intimidation',
    confidence: 0.85,
    pattern: String.raw`{I} {KNOW} (?:where|which school|what school|who) {YOUR} (?:\w+ )?(?:kids|children|son|daughter|boy|girl|family|wife|husband|partner)`,
  },
  {
    id: 'intimidation.know-your-routine',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`{I} {KNOW} (?:what|which) (?:car|time|bus|train|route|way) {YOU}(?: all| lot)? (?:drive|take|get|leave|finish|catch|go)`,
  },
  {
    id: 'intimidation.have-your-address',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`(?:i'?ve|i have|we'?ve|we have|i|we) (?:got|found|now have|know) {YOUR} (?:home |house )?address`,
    unless: String.raw`\b(?:post|posted|send|sent|write|wrote|letter|forms?|parcel|documents?|cheque|deliver\w*|return)\b`,
  },
  {
    id: 'intimidation.regret',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`{YOU_WILL} (?:all |really |so |definitely |soon |live to )?regret (?:this|that|it|ever|crossing|messing|picking|doing|what|the day|not|ignoring|treating)`,
    unless: String.raw`{LAWFUL}`,
  },
  {
    id: 'intimidation.be-sorry',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`{YOU_WILL} (?:all )?(?:be )?(?:so |very |really )?sorry(?! (?:to hear|for|about|that))`,
    unless: String.raw`{LAWFUL}`,
  },
  {
    id: 'intimidation.watch-your-back',
    category: 'intimidation',
    confidence: 0.8,
    pattern: String.raw`(?:watch|wach|wacth|watc|mind) (?:{YOUR} (?:back|step)|(?:yourself|urself|ur self|your self|yerself)(?! (?:on|crossing|going down|near|with|in)\b))|(?:better|best) (?:watch (?:out|it)|be careful|look out|sleep with one eye open)`,
  },
  {
    id: 'intimidation.waiting-outside',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`{I_WILL} (?:be )?(?:waiting|wait|hanging around|parked)(?: for {PERSON})? (?:outside|after (?:work|{POSSESSIVE} (?:shift|work))|when {YOU} (?:finish|leave|come out|get out)|in the car ?park|by {YOUR} (?:car|house|door)|at {YOUR} (?:car|house|home|door)|at the back door|round the back)`,
    unless: String.raw`\b(?:appointments?|reception|meeting|interview|collection|delivery|van|lorry|engineer|bus|taxi|lift|let me in|to be seen|phone|hold|reply|response|answer|call ?back|inspector|surveyor|contractor|crew|doors? (?:to )?open)\b`,
  },
  {
    id: 'intimidation.waiting-for-you',
    category: 'intimidation',
    confidence: 0.65,
    pattern: String.raw`{I_WILL} (?:be )?waiting for {PERSON}{CLAUSE_END}`,
    unless: String.raw`\b(?:appointments?|reply|response|answer|call ?back|phone|visit|inspection|engineer|meeting)\b`,
  },
  {
    id: 'intimidation.see-you-outside',
    category: 'intimidation',
    confidence: 0.65,
    pattern: String.raw`{I_WILL} (?:be )?see(?:ing)? {YOU} (?:outside|in the car ?park|after work|round the back)`,
  },
  {
    id: 'intimidation.shame-if',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`(?:would|'?d|will|could|might) be a (?:real )?(?:shame|pity) if (?:something|anything|(?:\w+ ){1,3}(?:got|gets|were|was|happened|went))`,
  },
  {
    id: 'intimidation.something-might-happen',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`something (?:bad |nasty |terrible )?(?:might|could|will|may|is going to|'?s going to) happen to (?:{PERSON}|{YOUR} \w+)`,
  },
  {
    id: 'intimidation.who-you-are-dealing-with',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`{YOU} (?:don'?t|do not|dont|have no idea|haven'?t got a clue)(?: know)? who {YOU_ARE} (?:messing|dealing|fucking|f\*+ing|playing|talking) (?:with|to)`,
  },
  {
    id: 'intimidation.know-people',
    category: 'intimidation',
    confidence: 0.65,
    pattern: String.raw`{I} (?:know|have|'?ve got|got) (?:some |a few )?(?:people|friends|mates|lads|contacts) (?:who|that|what) (?:would|could|can|will|'?d)`,
    unless: String.raw`{LAWFUL}`,
  },
  {
    id: 'intimidation.final-warning',
    category: 'intimidation',
    confidence: 0.6,
    pattern: String.raw`(?:this is|consider this|take this as) (?:{YOUR} |a )?(?:last|final|only) warning|{YOU}(?:'?ve| have) been warned|things (?:will|are going to|'?re going to|could|might) (?:get|turn) (?:very )?(?:nasty|ugly|messy|violent)`,
    unless: String.raw`{LAWFUL}`,
  },
  {
    id: 'intimidation.what-is-coming',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`{YOU_WILL} (?:all )?get (?:what'?s|whats|what is) coming(?: to {YOU})?`,
  },
  {
    id: 'intimidation.pay-for-this',
    category: 'intimidation',
    confidence: 0.6,
    pattern: String.raw`{YOU_WILL} (?:all )?pay for (?:this|that|it|what {YOU} (?:did|have done|'?ve done)){CLAUSE_END}`,
    unless: String.raw`{LAWFUL}`,
  },
  {
    id: 'intimidation.living-hell',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`{I_WILL} make {YOUR} (?:life|lives|job|days) (?:a )?(?:living )?(?:hell|misery|a misery|unbearable|a nightmare)`,
  },
  {
    id: 'intimidation.pay-a-visit',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`(?:pay|paying|give|giving) (?:{PERSON}|{YOUR} (?:office|house|home|place)) (?:a |a little |a personal |a surprise )?visit`,
  },
  {
    id: 'intimidation.come-to-your-home',
    category: 'intimidation',
    confidence: 0.75,
    pattern: String.raw`(?:{I_WILL}|when i|once i|before i|till i|until i) (?:be )?(?:come|coming|turn|turning|show|showing) (?:up |round |over )?(?:to |at )?{YOUR} (?:house|home|door|doorstep|address|street|place)`,
  },
  {
    id: 'intimidation.sort-you-out',
    category: 'intimidation',
    confidence: 0.65,
    pattern: String.raw`{I_WILL} {ADV}{COME_AND}sort {PERSON} (?:all )?out`,
  },
  {
    id: 'intimidation.watching-you',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`(?:{I}'?ve been|{I} have been|{I}'?m|{I} am|{I}'?ll be|{I} will be) watching (?:{PERSON}|{YOUR} (?:office|house|home|place|car|kids|children|family))`,
  },
  {
    id: 'intimidation.watch-what-happens',
    category: 'intimidation',
    confidence: 0.6,
    pattern: String.raw`(?:watch|see|wait and see) what happens (?:to {YOUR} \w+|to {YOU}|next)`,
    unless: String.raw`{LAWFUL}`,
  },
  {
    id: 'intimidation.find-you',
    category: 'intimidation',
    confidence: 0.7,
    pattern: String.raw`{I_WILL} {ADV}(?:find|track|hunt) {PERSON}(?: down)?{CLAUSE_END}`,
  },
  {
    id: 'intimidation.get-you',
    category: 'intimidation',
    confidence: 0.6,
    pattern: String.raw`{I_WILL} {ADV}(?:get|have) {PERSON}(?: back| for (?:this|that|it))?{CLAUSE_END}`,
  },
  {
    id: 'intimidation.trouble-ahead',
    category: 'intimidation',
    confidence: 0.55,
    pattern: String.raw`there (?:will|'?ll|is going to|'?s going to|is gonna) be (?:trouble|consequences|hell to pay)`,
    unless: String.raw`{LAWFUL}`,
  },
];
