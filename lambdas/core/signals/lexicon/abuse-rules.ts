import type { PhraseRule } from './phrase-rule';

/**
 * Abusive phrases that no single word carries: wishing harm on someone, telling them to kill
 * themselves, hateful phrases about origin (3.1: offensive and hateful language; 5.8 a manager
 * reviews). They are `offensive`, not threats: the writer states no intent to act.
 */
export const abuseRules: readonly PhraseRule[] = [
  {
    id: 'offensive.kill-yourself',
    category: 'offensive',
    confidence: 0.85,
    pattern: String.raw`(?:kill|hang|top|off) (?:yourself|urself|ur self|your self|yerself|yourselves)|\bkys\b`,
    negatable: true,
  },
  {
    id: 'offensive.wish-harm',
    category: 'offensive',
    confidence: 0.85,
    pattern: String.raw`hope (?:{YOU}|they|he|she|{YOUR} \w+)(?: all| lot)? (?:die|dies|rot|rots|burn|burns|get cancer|gets cancer|get run over|gets run over|drop dead|suffer|suffers|choke|chokes)`,
    negatable: true,
  },
  {
    id: 'offensive.drop-dead',
    category: 'offensive',
    confidence: 0.75,
    pattern: String.raw`drop dead|die in a (?:fire|ditch|hole)|(?:rot|burn) in hell|(?:off|fuck off|f\*+ off|piss off|go) and die`,
  },
  {
    id: 'offensive.go-back-home',
    category: 'offensive',
    confidence: 0.85,
    pattern: String.raw`go back (?:to )?(?:your own|where {YOU} (?:came|come) from|{YOUR} own country)|(?:send|ship) (?:them|{YOU}|the lot of them) (?:all )?back (?:home|where)|your kind(?= ?(?:[.!?,;]|$|are\b|is\b|should\b|always\b|never\b|aren'?t\b|people\b))`,
  },
];
