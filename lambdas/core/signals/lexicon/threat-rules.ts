import type { PhraseRule } from './phrase-rule';

/**
 * Threats of violence or harm to staff or anyone, or of wrecking property by violence: 3.2.3
 * (threatening correspondence), 3.3 (actual or perceived threats go to the police), 6.1.
 * Each needs an intent ("I'll", "I'm going to", "imma") or a plain statement of harm; "I could
 * kill for a cup of tea" and "I'd murder a bacon sandwich" carry no intent and no person.
 */
const notAMessage = String.raw`(?! (?:an? |the |some )?(?:e-?mail|message|text|line|note|copy|call|ring|link|reply|letter|invoice|bill|complaint|claim|lawsuit|fine|form|photos?|pictures?|details)\b)(?! (?:back|down|off|out|short|up|loose|free|some slack|with|to|a favour|a deal)\b)`;

export const threatRules: readonly PhraseRule[] = [
  {
    id: 'threat.violence-to-person',
    category: 'threat',
    confidence: 0.9,
    pattern: `{I_WILL} {ADV}{COME_AND}(?:kill|murder|stab|shoot|strangle|throttle|knife|batter|beat up|beat|punch|hurt|harm|thump|smack|slap|kick|deck|lamp|glass|headbutt|cut|slash|bash|hit|attack|assault|maim|rape|choke|strangle|stamp on|hunt down|knock out|end|finish off|smash)(?: the (?:shit|crap|hell|living daylights) out of)? {PERSON}${notAMessage}`,
  },
  {
    id: 'threat.harm-to-body',
    category: 'threat',
    confidence: 0.9,
    pattern: String.raw`(?:{I_WILL} {ADV}{COME_AND}|(?:before|or|until|till|else|then) (?:i|we) |{I_WILL} (?:\w+ ){1,8}?(?:and|then) )(?:break|snap|smash|kick|knock|punch|rip|cave|bash|slit|cut|stamp on|boot|put my (?:fist|foot|boot|head) through) {POSSESSIVE} {BODY}(?: (?:in|off|out))?`,
  },
  {
    id: 'threat.lights-out',
    category: 'threat',
    confidence: 0.85,
    pattern: `{I_WILL} {ADV}{COME_AND}(?:punch|knock|smack|put) {POSSESSIVE} lights out`,
  },
  {
    id: 'threat.knock-out',
    category: 'threat',
    confidence: 0.85,
    pattern: `{I_WILL} {ADV}{COME_AND}(?:knock|lay|spark) {PERSON} (?:out|spark out|flat)`,
  },
  {
    id: 'threat.get-beaten',
    category: 'threat',
    confidence: 0.85,
    pattern: `get {POSSESSIVE} {BODY} (?:kicked|smashed|caved|knocked|punched|bashed|stamped) (?:in|off|out)`,
  },
  {
    id: 'threat.hospital',
    category: 'threat',
    confidence: 0.9,
    pattern: `{I_WILL} {ADV}put {PERSON} in (?:hospital|a box|the ground|a wheelchair|an early grave|intensive care|a coma)`,
  },
  {
    id: 'threat.leave-in-ambulance',
    category: 'threat',
    confidence: 0.85,
    pattern: `{YOU_WILL} (?:all )?(?:leave|go home|be leaving|end up|be going home|be carried out) in (?:an ambulance|a body ?bag|a box|a coffin|hospital|a wheelchair)`,
  },
  {
    id: 'threat.someone-hurt',
    category: 'threat',
    confidence: 0.75,
    pattern: String.raw`(?:some ?(?:one|body|1|i)|sum ?(?:1|i)|people|staff|one of {YOU})(?: (?:at|in|from) (?:the|that|your|this) \w+)? (?:is|are|'?s|will|'?ll|is going to|are going to|'?s going to|'?re going to|is gonna|'?s gonna|gonna|r gonna) (?:be |get |getting |be getting )(?:seriously |badly |really )?(?:hurt|harmed|injured|stabbed|killed|shot|beaten up|battered|murdered|a (?:slap|kicking|beating))`,
    unless: String.raw`\b(?:on (?:the|that|those|these|this)|by (?:the|that|a)|because of|trip|tripping|fall|fell|falling|slip|slipping|pavement|paving|slabs?|potholes?|railings?|stairs|steps?|balcony|wires?|wiring|lighting|glass|road|junction|crossing|trees?|ice|icy|lift|traffic|speeding|lorries|dogs?|fire door|electrics|gas|playground|swings?)\b`,
  },
  {
    id: 'threat.you-are-dead',
    category: 'threat',
    confidence: 0.8,
    pattern: String.raw`(?:{YOU_ARE}|{YOU}'?ll be|{YOU} will be) (?:so |fucking |f\*+ing |all |a )?dead(?: (?:meat|man|men|woman|women|person))?{CLAUSE_END}`,
  },
  {
    id: 'threat.arson-or-bomb',
    category: 'threat',
    confidence: 0.9,
    pattern: String.raw`{I_WILL} {ADV}{COME_AND}(?:burn|torch|firebomb|fire-bomb|petrol bomb|petrol-bomb|bomb|blow up|blow|set fire to|set alight|smash up|smash|wreck|trash) (?:(?:down )?(?:the |your |ur |this |that |yer |their |every |the whole |this whole |that whole )?(?:\w+ )?(?:place|building|buildings|office|offices|council|town hall|civic cent(?:re|er)|house|home|flat|block|depot|car|cars|van|estate|property|windows|door|shop|library|hub|reception|lot)(?: (?:down|up|sky high|to the ground))?|(?:it|them|this one|that one|the lot) (?:all )?(?:down|to the ground))`,
  },
  {
    id: 'threat.burn-it-down',
    category: 'threat',
    confidence: 0.8,
    pattern: String.raw`(?:burn|torch|blow up) (?:the|this|that|your|ur|their) (?:\w+ )?(?:place|building|office|offices|council|town hall|civic cent(?:re|er)|block|depot|lot|whole (?:place|lot|building))(?: \w+)? (?:down|up)|(?:burn|torch) (?:it|them) (?:all )?down`,
    unless: String.raw`\b(?:tried|trying|attempted|nearly|almost|someone|somebody|kids|youths|lads|they|he|she|arson\w*|fire brigade|firefighters|was|were|has been|have been|got|could have|would have)\b`,
    negatable: true,
  },
  {
    id: 'threat.make-a-bomb',
    category: 'threat',
    confidence: 0.9,
    pattern: `(?:{I_WILL} (?:make|build|plant|bring|leave|send)|i'?ve (?:made|built|planted|left)|there'?s|there is) an? (?:bomb|device|ied|petrol bomb|molotov|explosive)`,
    unless: String.raw`\b(?:cost|costs|costing|spent|spend|paid|pay|bomb site|looks like)\b`,
  },
  {
    id: 'threat.blood-will-be-spilt',
    category: 'threat',
    confidence: 0.8,
    pattern: `there(?: will|'?ll| is going to|'?s going to| is gonna) be (?:blood|bloodshed|violence)(?: (?:spilled|spilt|on the floor|on your hands))?`,
  },
  {
    id: 'threat.bring-a-weapon',
    category: 'threat',
    confidence: 0.85,
    pattern: String.raw`(?:{I_WILL} (?:be )?|and i'?m |i'?m )(?:bring|bringing|carry|carrying)(?: \w+)?(?: \w+)? (?:a |an |my |some )?{WEAPON}`,
  },
  {
    id: 'threat.turn-up-armed',
    category: 'threat',
    confidence: 0.85,
    pattern: String.raw`(?:{I_WILL}|\bi|\bwe)(?: \w+){0,3}? (?:turn|show|come|coming|be|walk|walking) (?:up |in |down |round |back )?(?:\w+ ){0,4}?with (?:a |an |my |some )?{WEAPON}`,
    unless: String.raw`\b(?:fork|spoon|cutlery|licen[cs]e|team|club|ball)\b`,
  },
  {
    id: 'threat.armed',
    category: 'threat',
    confidence: 0.75,
    pattern: `(?:i'?ve got|i have got|i have|i'?ve|i got|i'?m carrying) (?:a |my )?(?:knife|gun|blade|machete|shotgun|rifle|crossbow|firearm)(?! (?:licen[cs]e|club|cabinet|certificate|crime|amnesty|sharpener|block|drawer))`,
    unless: String.raw`\b(?:kitchen|bread|cutlery|found|dumped|fly-?tip\w*|left|bin|park|alley|street|syringes?|needles?|kids|youths|someone|somebody|he|she|they|neighbour|licen[cs]e)\b`,
  },
  {
    id: 'threat.armed-statement',
    category: 'threat',
    confidence: 0.8,
    pattern: `(?:i'?m|i am) (?:armed|tooled up)|not afraid to use (?:it|them)`,
  },
  {
    id: 'threat.do-you',
    category: 'threat',
    confidence: 0.7,
    pattern: `{I_WILL} {ADV}do {PERSON}(?: in| over| good| proper| properly)?{CLAUSE_END}`,
  },
  {
    id: 'threat.coming-for-you',
    category: 'threat',
    confidence: 0.7,
    pattern: `(?:i'?m|i am|we'?re|we are) coming (?:for|after) {PERSON}`,
  },
  {
    id: 'threat.wont-see-me-coming',
    category: 'threat',
    confidence: 0.8,
    pattern: `{YOU} (?:won'?t|will not|wont|never) (?:see|know|hear) (?:me|it|us) coming`,
  },
  {
    id: 'threat.kill-named',
    category: 'threat',
    confidence: 0.8,
    pattern: String.raw`{I_WILL} {ADV}(?:kill|murder|stab|shoot|strangle) (?!it\b|this\b|that\b|time\b|m[eiy]|off\b)[a-z]+{CLAUSE_END}`,
  },
  {
    id: 'threat.do-something-to',
    category: 'threat',
    confidence: 0.7,
    pattern: `{I_WILL} {ADV}{COME_AND}do something (?:bad |nasty |terrible |stupid |serious )?to {PERSON}`,
  },
  {
    id: 'threat.needs-a-kicking',
    category: 'threat',
    confidence: 0.65,
    pattern: `(?:needs?|deserves?|is asking for|'?s asking for|are asking for|wants) (?:a good |a proper |a )?(?:kicking|hiding|beating|battering|slap|smack|pasting|shoeing|good seeing to)`,
  },
  {
    id: 'threat.send-people-round',
    category: 'threat',
    confidence: 0.85,
    pattern: String.raw`{I_WILL} {ADV}(?:send|get|have) (?:some |a few |my |the )?(?:\w+ )?(?:round|over|down)(?: (?:to|at) (?:\w+ ){1,2})? to (?:break|smash|sort|deal with|do|hurt|batter|kick|burn|torch|beat)`,
  },
];
