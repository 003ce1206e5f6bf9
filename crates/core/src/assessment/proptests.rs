//! Property tests over random answer sets of the 2024 edition.

use proptest::prelude::*;

use super::edition::QuestionType;
use super::tests::{all_lowest, edition};
use super::*;

/// One raw choice per question and a level per scenario. A single-choice
/// question takes option `choice % n`; a multi-choice question ticks the
/// non-exclusive options in the bitmask `choice` (none ticked = "无").
fn answer_sets() -> impl Strategy<Value = (Vec<u32>, Vec<u8>)> {
    (
        prop::collection::vec(any::<u32>(), 15),
        prop::collection::vec(0u8..=4, 16),
    )
}

fn areas(q: &Question) -> Vec<&str> {
    q.options
        .iter()
        .filter(|o| !q.is_exclusive(&o.key))
        .map(|o| o.key.as_str())
        .collect()
}

fn keys_for(q: &Question, choice: u32) -> Vec<&str> {
    match q.kind {
        QuestionType::Single => vec![q.options[choice as usize % q.options.len()].key.as_str()],
        QuestionType::Multi => {
            let areas = areas(q);
            let ticked: Vec<&str> = areas
                .iter()
                .enumerate()
                .filter(|(i, _)| choice & (1 << i) != 0)
                .map(|(_, k)| *k)
                .collect();
            if ticked.is_empty() {
                vec![
                    q.exclusive_option
                        .as_deref()
                        .expect("multi-choice questions have 无"),
                ]
            } else {
                ticked
            }
        }
    }
}

fn build(choices: &[u32], levels: &[u8]) -> Answers {
    let mut raw = Answers::default();
    for (q, c) in edition().questions().iter().zip(choices) {
        raw = raw.with_options(q.no, &keys_for(q, *c));
    }
    for (s, l) in edition().scenarios().iter().zip(levels) {
        raw = raw.with_scenario(s.no, i64::from(*l));
    }
    raw
}

fn score_raw(raw: &Answers, w: Q4Weighting) -> AssessmentResult {
    let parsed = Answers::parse(edition(), raw).unwrap();
    score(edition(), &parsed, w).unwrap()
}

/// A worse answer to question `i`: a single-choice option scoring no more,
/// or one ticked area fewer (down to "无").
fn worsen_question(choices: &mut [u32], i: usize, pick: u32) {
    let q = &edition().questions()[i];
    match q.kind {
        QuestionType::Single => {
            let current = q.options[choices[i] as usize % q.options.len()].score;
            let candidates: Vec<usize> = (0..q.options.len())
                .filter(|&j| q.options[j].score <= current)
                .collect();
            choices[i] = candidates[pick as usize % candidates.len()] as u32;
        }
        QuestionType::Multi => {
            let full = (1u32 << areas(q).len()) - 1;
            let mask = choices[i] & full;
            let bits: Vec<u32> = (0..32).filter(|b| mask & (1 << b) != 0).collect();
            choices[i] = if bits.is_empty() {
                0
            } else {
                mask & !(1 << bits[pick as usize % bits.len()])
            };
        }
    }
}

proptest! {
    #[test]
    fn total_is_within_0_100_and_the_sum_of_its_parts((choices, levels) in answer_sets()) {
        let raw = build(&choices, &levels);
        for w in Q4Weighting::ALL {
            let r = score_raw(&raw, w);
            prop_assert!(r.total <= Points::from_int(100));
            let dims: Points = r.dimensions.iter().map(|d| d.score).sum();
            prop_assert_eq!(r.total, dims);
            let questions: Points = r.questions.iter().map(|q| q.score).sum();
            prop_assert_eq!(r.total, questions);
            for d in &r.dimensions {
                let sum: Points = r.questions.iter().filter(|q| q.dimension == d.code).map(|q| q.score).sum();
                prop_assert_eq!(d.score, sum);
                prop_assert!(d.score <= d.max);
            }
            for q in &r.questions {
                prop_assert!(q.score <= q.max);
            }
            let shown: f64 = r.total_display.parse().unwrap();
            prop_assert!((shown - r.total.to_f64()).abs() <= 0.005 + 1e-9);
            prop_assert_eq!(r.counts.scenarios, 16);
            prop_assert_eq!(r.counts.built(), levels.iter().filter(|l| **l >= 1).count() as u32);
        }
    }

    #[test]
    fn the_level_never_rises_when_a_question_answer_gets_worse(
        (choices, levels) in answer_sets(),
        i in 0usize..15,
        pick in any::<u32>(),
    ) {
        let mut worse = choices.clone();
        worsen_question(&mut worse, i, pick);
        for w in Q4Weighting::ALL {
            let before = score_raw(&build(&choices, &levels), w);
            let after = score_raw(&build(&worse, &levels), w);
            prop_assert!(after.total <= before.total);
            prop_assert!(after.level_number() <= before.level_number(),
                "Q{} {:?}: {} → {}", i + 1, w, before.level_display, after.level_display);
        }
    }

    #[test]
    fn the_level_never_rises_when_a_scenario_level_gets_lower(
        (choices, levels) in answer_sets(),
        s in 0usize..16,
        pick in any::<u8>(),
    ) {
        let mut lower = levels.clone();
        lower[s] = pick % (levels[s] + 1);
        for w in Q4Weighting::ALL {
            let before = score_raw(&build(&choices, &levels), w);
            let after = score_raw(&build(&choices, &lower), w);
            prop_assert_eq!(after.total, before.total);
            prop_assert!(after.level_number() <= before.level_number());
        }
    }

    #[test]
    fn the_level_is_the_highest_rule_that_holds((choices, levels) in answer_sets()) {
        let r = score_raw(&build(&choices, &levels), Q4Weighting::default());
        for rule in edition().level_rules() {
            let holds = r.total >= rule.min_score
                && r.counts.at_or_above(rule.level) >= rule.min_scenarios_at_or_above
                && r.counts.constrained_at_or_above(rule.level) >= rule.min_constrained_at_or_above;
            // Rules are monotone, so a level holds exactly when it is at most the awarded one.
            prop_assert_eq!(holds, rule.level <= r.level_number());
        }
    }

    #[test]
    fn canonical_answers_round_trip(
        (choices, levels) in answer_sets(),
        counts in (0u32..=1_000_000).prop_flat_map(|t| (Just(t), 0..=t, 0..=t)),
        answered in prop::collection::vec(any::<bool>(), 31),
    ) {
        let (total, digitized, networked) = counts;
        let mut raw = build(&choices, &levels);
        raw.questions.remove("2");
        raw.questions.remove("3");
        raw = raw
            .with_fill_in(2, "q2_equipment_total", f64::from(total))
            .with_fill_in(2, "q2_equipment_digitized", f64::from(digitized))
            .with_fill_in(3, "q3_equipment_networked", f64::from(networked));
        // Drop some answers: drafts round-trip too.
        for (i, keep) in answered.iter().enumerate() {
            if !keep {
                if i < 15 { raw.questions.remove(&(i + 1).to_string()); }
                else { raw.scenarios.remove(&(i - 14).to_string()); }
            }
        }
        let parsed = Answers::parse(edition(), &raw).unwrap();
        let again = Answers::parse(edition(), &parsed.to_answers()).unwrap();
        prop_assert_eq!(&again, &parsed);
        let mut expected_missing = answered.iter().filter(|k| !**k).count();
        // Without Q2's equipment total, Q3's option cannot be derived.
        if !answered[1] && answered[2] {
            expected_missing += 1;
        }
        prop_assert_eq!(parsed.missing().len(), expected_missing);
        prop_assert_eq!(
            score(edition(), &parsed, Q4Weighting::default()).is_ok(),
            expected_missing == 0
        );
    }

    #[test]
    fn derived_rate_options_hold_the_rate(
        (total, digitized) in (1u64..=10_000_000).prop_flat_map(|t| (Just(t), 0..=t)),
        other in 0usize..5,
    ) {
        let mut raw = all_lowest();
        raw.questions.remove("2");
        raw = raw
            .with_fill_in(2, "q2_equipment_total", total as f64)
            .with_fill_in(2, "q2_equipment_digitized", digitized as f64);
        let parsed = Answers::parse(edition(), &raw).unwrap();
        // Integer band test: rate ≤ b  ⇔  100·digitized ≤ b·total.
        let at_most = |b: u64| 100 * digitized <= b * total;
        let expected = if at_most(10) { "A" } else if at_most(20) { "B" } else if at_most(40) { "C" } else if at_most(60) { "D" } else { "E" };
        prop_assert_eq!(parsed.selected(2), [expected]);
        let rate = parsed.fill_in("q2_rate").unwrap();
        prop_assert!((rate - 100.0 * digitized as f64 / total as f64).abs() <= 0.005 + 1e-9);
        // Any other chosen option is refused.
        let chosen = ["A", "B", "C", "D", "E"][other];
        let result = Answers::parse(edition(), &raw.with_options(2, &[chosen]));
        if chosen == expected {
            prop_assert!(result.is_ok());
        } else {
            prop_assert_eq!(result.unwrap_err().code(), "answer_derived_conflict");
        }
    }

    #[test]
    fn bad_fill_ins_are_refused_naming_the_question(
        field in 0usize..15,
        negative in -1e9f64..-1e-9,
        excess in 1.0f64..1e6,
    ) {
        let fill_ins: Vec<(&Question, &FillIn)> = edition()
            .questions()
            .iter()
            .flat_map(|q| q.fill_ins.iter().map(move |f| (q, f)))
            .collect();
        prop_assert_eq!(fill_ins.len(), 15);
        let (q, f) = fill_ins[field];
        let prefix = format!("第{}题：{}", q.no, f.name);
        for (value, code) in [
            (negative, "answer_fill_in_negative"),
            (f.kind.max() + excess.ceil(), "answer_fill_in_too_large"),
            (f64::NAN, "answer_fill_in_invalid"),
        ] {
            let e = Answers::parse(edition(), &all_lowest().with_fill_in(q.no, &f.key, value)).unwrap_err();
            prop_assert_eq!(e.code(), code);
            prop_assert!(e.to_string().starts_with(&prefix), "{}", e);
            prop_assert_eq!(e.question(), Some(q.no));
        }
        if f.kind.integer() {
            let e = Answers::parse(edition(), &all_lowest().with_fill_in(q.no, &f.key, excess.floor() + 0.5)).unwrap_err();
            prop_assert_eq!(e.code(), "answer_fill_in_not_integer");
        }
    }

    #[test]
    fn bad_choices_are_refused_naming_the_question(
        i in 0usize..15,
        key in prop::collection::vec(prop::char::range('A', 'Z'), 1..3).prop_map(|c| c.into_iter().collect::<String>()),
        pick in any::<u32>(),
    ) {
        let q = &edition().questions()[i];
        if q.option(&key).is_none() {
            let e = Answers::parse(edition(), &all_lowest().with_options(q.no, &["A", &key])).unwrap_err();
            prop_assert_eq!(e.code(), "answer_unknown_option");
            prop_assert_eq!(e.to_string(), format!("第{}题：选项“{}”不存在", q.no, key));
        }
        let n = q.options.len();
        let (a, b) = (pick as usize % n, (pick as usize / n) % (n - 1));
        let b = if b >= a { b + 1 } else { b };
        let two = [q.options[a].key.as_str(), q.options[b].key.as_str()];
        let result = Answers::parse(edition(), &all_lowest().with_options(q.no, &two));
        match q.kind {
            QuestionType::Single => {
                let e = result.unwrap_err();
                prop_assert_eq!(e.code(), "answer_single_choice");
                prop_assert_eq!(e.to_string(), format!("第{}题为单选题，只能选择一个选项", q.no));
            }
            QuestionType::Multi if two.iter().any(|k| q.is_exclusive(k)) => {
                let e = result.unwrap_err();
                prop_assert_eq!(e.code(), "answer_exclusive_option");
                prop_assert_eq!(e.to_string(), format!("第{}题：选择“无”时不能同时选择其他选项", q.no));
            }
            QuestionType::Multi => prop_assert!(result.is_ok()),
        }
    }

    #[test]
    fn bad_scenario_levels_are_refused(
        s in 1u32..=16,
        level in prop_oneof![i64::MIN..0, 5..i64::MAX],
        unknown in 17u32..10_000,
    ) {
        let e = Answers::parse(edition(), &all_lowest().with_scenario(s, level)).unwrap_err();
        prop_assert_eq!(e.code(), "answer_scenario_level");
        let prefix = format!("应用场景{s}（");
        prop_assert!(e.to_string().starts_with(&prefix));
        prop_assert_eq!(e.scenario(), Some(s));
        let e = Answers::parse(edition(), &all_lowest().with_scenario(unknown, 1)).unwrap_err();
        prop_assert_eq!(e.code(), "answer_unknown_scenario");
    }

    #[test]
    fn more_equipment_digitized_or_networked_than_owned_is_refused(
        (total, extra) in (0u32..=9_000_000, 1u32..1_000_000),
        networked in any::<bool>(),
    ) {
        let mut raw = all_lowest();
        raw.questions.remove("2");
        raw.questions.remove("3");
        raw = raw.with_fill_in(2, "q2_equipment_total", f64::from(total));
        let (no, key, message) = if networked {
            (3, "q3_equipment_networked", "第3题：联网设备数量不能大于设备总数")
        } else {
            (2, "q2_equipment_digitized", "第2题：数字化设备数量不能大于设备总数")
        };
        let e = Answers::parse(edition(), &raw.with_fill_in(no, key, f64::from(total + extra))).unwrap_err();
        prop_assert_eq!(e.code(), "answer_part_exceeds_total");
        prop_assert_eq!(e.to_string(), message);
    }
}
