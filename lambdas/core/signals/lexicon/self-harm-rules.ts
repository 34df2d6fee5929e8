import type { PhraseRule } from './phrase-rule';

/**
 * Risk of suicide or self-harm (3.2.5 threatening to harm yourself; a safeguarding matter for a
 * person to act on at once). Idiom is not risk: "I'm dying to know", "this is killing me",
 * "I nearly killed myself laughing"; nor is a bereavement told in the past tense.
 */
const myself = `(?:my ?self|myslef|myelf|meself|mysef|mysefl|my sef)`;

export const selfHarmRules: readonly PhraseRule[] = [
  {
    id: 'self-harm.kill-myself',
    category: 'self-harm',
    confidence: 0.9,
    pattern: `(?:kill|kiling|top|toping|off|hang|hanging|end|ending) ${myself}(?! laugh)`,
    unless: String.raw`\b(?:laugh\w*|for (?:forgetting|not|missing|being|leaving|letting|losing|believing)|(?:nearly|almost) (?:kil\w*|hung|topped))\b`,
    negatable: true,
  },
  {
    id: 'self-harm.do-myself-in',
    category: 'self-harm',
    confidence: 0.85,
    pattern: String.raw`do ${myself} in\b`,
    negatable: true,
  },
  {
    id: 'self-harm.someone-else-at-risk',
    category: 'self-harm',
    confidence: 0.65,
    pattern: String.raw`(?:kill|kiling|end|ending|hang|hanging|top|toping|harm|harming|hurt|hurting|cut|cutting) (?:himself|herself|themselves|themself)\b`,
    unless: String.raw`\b(?:last (?:year|month|week)|in (?:19|20)\d\d|years ago|passed away|funeral|inquest|in memory|bereave\w*|on (?:the|a|that|those|these)|fell|tripped|slipped)\b`,
    negatable: true,
  },
  {
    id: 'self-harm.take-my-life',
    category: 'self-harm',
    confidence: 0.9,
    pattern: `(?:take|taking|end|ending) my (?:own )?life`,
    negatable: true,
  },
  {
    id: 'self-harm.end-it-all',
    category: 'self-harm',
    confidence: 0.85,
    pattern: `end(?:ing)? it all|end it (?:tonight|today|now|soon|here|this (?:week|weekend))|(?:{I_WILL}|want to|wanna|about to) end it{CLAUSE_END}|thinking (?:about|of) ending (?:it|my life|my own life)`,
    negatable: true,
  },
  {
    id: 'self-harm.no-reason-to-live',
    category: 'self-harm',
    confidence: 0.85,
    pattern: String.raw`(?:no|(?:don'?t|do not|can'?t|cannot) see (?:the|any)) (?:reason|point) (?:to|in|of|for) (?:live|living|going on|carrying on|being alive|being here|life|me being here)(?! with (?:this|the|my|your)\b)|nothing (?:left )?to live for|no point (?:in )?(?:going on|carrying on|living|being alive|being here)(?! with (?:this|the|my|your)\b)`,
    negatable: true,
  },
  {
    id: 'self-harm.cannot-go-on',
    category: 'self-harm',
    confidence: 0.7,
    pattern: `(?:can'?t|cannot|cant|can not) (?:go on|carry on|keep going)(?= ?(?:[.!?,;]|$| living| any ?more| any longer))`,
  },
  {
    id: 'self-harm.want-to-die',
    category: 'self-harm',
    confidence: 0.85,
    pattern: `(?:want|wanna|wish|going|ready|need|i'?d like) (?:to )?die(?! (?:of|from|laughing|when|happy|for|in (?:peace|my own)))|wish (?:i|i'?d) (?:was|were|'?d been|had been|could be) dead|wish i'?d never been born|(?:better|happier) off (?:dead|without me|when i'?m gone|if i was(?:n'?t| not) here|if i died)`,
    negatable: true,
  },
  {
    id: 'self-harm.do-not-want-to-live',
    category: 'self-harm',
    confidence: 0.8,
    pattern: String.raw`(?:don'?t|do not|dont|no longer) want to (?:live|be alive|exist|wake up)(?: any ?more| any longer)?(?! (?:here|in|on|at|next|near|with|like)\b)`,
  },
  {
    id: 'self-harm.do-not-want-to-be-here',
    category: 'self-harm',
    confidence: 0.6,
    pattern: String.raw`(?:don'?t|do not|dont|no longer) want to be here any ?(?:more|longer)(?! (?:in|on|at|next|near|with|like)\b)`,
  },
  {
    id: 'self-harm.suicidal',
    category: 'self-harm',
    confidence: 0.85,
    pattern: `(?:i'?m|i am|feel|feeling|felt|been|become|becoming|is|are|was|getting|so|very|really|quite) (?:so |really |very |quite |a bit |completely |extremely )?(?:suicidal|sucidal|suicidel|suicdal|suisidal|suicidle|sucidle)|(?:suicidal|sucidal|suicidel) (?:thoughts|feelings|ideation)|(?:thinking (?:about|of)|thoughts of|attempt(?:ed)?|commit(?:ting)?|consider(?:ing)?) suicide`,
    negatable: true,
  },
  {
    id: 'self-harm.self-harming',
    category: 'self-harm',
    confidence: 0.75,
    pattern: `self[- ]?harm(?:ing|ed|s)?`,
    unless: String.raw`\b(?:awareness|leaflets?|services?|team|policy|training|support group|week|day|campaign|charity|website|page|course)\b`,
    negatable: true,
  },
  {
    id: 'self-harm.hurt-myself',
    category: 'self-harm',
    confidence: 0.8,
    pattern: String.raw`(?:cut|cutting|burn|burning|harm|harming|hurt|hurting|starve|starving) ${myself}(?! (?:on|when|by|falling|tripping|slipping|at work|lifting)\b)`,
    negatable: true,
  },
  {
    id: 'self-harm.overdose',
    category: 'self-harm',
    confidence: 0.9,
    pattern: `(?:taken|took|swallowed|had|downed|taking|take|swallow) (?:an )?overdose|(?:overdose|overdosed|od'?d)(?= ?(?:[.!?,;]|$| on| tonight| today))`,
    negatable: true,
  },
  {
    id: 'self-harm.taken-all-the-tablets',
    category: 'self-harm',
    confidence: 0.85,
    pattern: String.raw`(?:taken|took|swallowed|downed|swallow|take|taking) (?:all |all of |a (?:whole |full )?(?:bottle|box|packet|pack|handful|lot|load|strip) of |loads of |lots of |too many |a load of |every )(?:my |the |of my |of the )?(?:\w+ )?(?:pills?|tablets?|paracetamol|painkillers?|meds|medication|capsules?)(?! (?:out|away|off|back|from|to|down)\b)`,
    negatable: true,
  },
  {
    id: 'self-harm.taken-pills',
    category: 'self-harm',
    confidence: 0.8,
    pattern: `(?:i'?ve|i have|i just|just) (?:taken|took|swallowed) (?:some |a few |loads of )?pills`,
  },
  {
    id: 'self-harm.jump',
    category: 'self-harm',
    confidence: 0.85,
    pattern: String.raw`(?:(?:{I_WILL}|i (?:want|wanna|feel like|might|could|keep thinking about)|thinking (?:about|of)) (?:to )?(?:jump|jumping|step|stepping|walk|walking)|throw(?:ing)? ${myself}) (?:off|from|in front of|under|into) (?:a |the |that |this )?(?:\w+ ){0,2}?(?:bridge|building|roof|balcony|cliff|car ?park|multi-storey|tower|block|flats|train|bus|lorry|car|traffic|river|canal|sea|motorway|platform)`,
  },
  {
    id: 'self-harm.not-here-tomorrow',
    category: 'self-harm',
    confidence: 0.7,
    pattern: `(?:won'?t|will not|wont|not going to) be (?:here|around|alive) (?:tomorrow|much longer|for (?:much )?long|by (?:the|tomorrow|then|morning|monday|the weekend)|next week|to see)`,
    unless: String.raw`\b(?:holiday|away|working|office|appointment|visiting|abroad|moving|moved|travelling)\b`,
  },
  {
    id: 'self-harm.death-on-your-hands',
    category: 'self-harm',
    confidence: 0.7,
    pattern: `(?:my|our) (?:death|blood|suicide) (?:will be |is )?on (?:{YOUR}|their|his|her) (?:hands|conscience|head)|(?:have|'?ll have|will have) my (?:death|blood|suicide) on (?:{YOUR}|their|his|her) (?:hands|conscience)`,
  },
  {
    id: 'self-harm.ending-things',
    category: 'self-harm',
    confidence: 0.75,
    pattern: String.raw`end(?:ing)? things(?! with\b)|nothing left for me`,
    negatable: true,
  },
  {
    id: 'self-harm.not-wake-up',
    category: 'self-harm',
    confidence: 0.8,
    pattern: `(?:go to sleep|sleep|fall asleep) and (?:not|never) wake up`,
  },
  {
    id: 'self-harm.at-the-edge',
    category: 'self-harm',
    confidence: 0.7,
    pattern: `i'?m (?:standing|sat|sitting|stood) on (?:the|a|top of the) (?:edge|bridge|roof|ledge|platform|cliff|balcony railing)`,
  },
  {
    id: 'self-harm.done-with-life',
    category: 'self-harm',
    confidence: 0.75,
    pattern: `(?:done|finished|had enough) with (?:life|living|this life|being alive)|tired of (?:living|life|being alive)`,
    negatable: true,
  },
  {
    id: 'self-harm.goodbye',
    category: 'self-harm',
    confidence: 0.6,
    pattern: `this is (?:my )?goodbye|goodbye (?:cruel )?world|(?:written|wrote|left) (?:a |my )?(?:suicide )?(?:note|notes|letters) (?:to|for) (?:my )?(?:family|kids|children|son|daughter|mum|wife|husband)`,
  },
];
