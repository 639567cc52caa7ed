// Who must review a hand-off together (LANGUAGE.md section 5, joint-review):
// the kpis on the other side of a `depends` link, in either direction, whose
// owner sits in another function. The rule and the scorecard model both ask
// here, each through its own view of the kpis (declarations for the check,
// cards for the scorecard), so the two cannot drift apart.

/** How one caller sees its kpis: `K` is a kpi, `F` the function its owner sits in. */
export interface HandoffResolver<K, F extends { name: string }> {
  /** The kpis `kpi` depends on, resolved; unresolved names are left out. */
  dependencies(kpi: K): Iterable<K>;
  /** The kpis that depend on `kpi`. */
  dependents(kpi: K): Iterable<K>;
  /** The function of the kpi's owner, when the owner is a role placed `in` a function. */
  ownerFunction(kpi: K): F | undefined;
}

export interface JointReviewPartner<K, F> {
  partner: K;
  /** How `kpi` relates to the partner; a kpi both depended on and depending counts as `depends-on`. */
  relation: 'depends-on' | 'depended-on-by';
  /** The partner owner's function. */
  theirs: F;
}

/**
 * The joint-review partners of `kpi` with its owner's function (`mine`), each
 * partner once, dependencies first; undefined when its owner is in no
 * function. Whether `kpi` is amber or red is the caller's question.
 */
export function jointReviewPartners<K, F extends { name: string }>(
  kpi: K,
  resolver: HandoffResolver<K, F>,
): { mine: F; partners: JointReviewPartner<K, F>[] } | undefined {
  const mine = resolver.ownerFunction(kpi);
  if (!mine) return undefined;
  const partners: JointReviewPartner<K, F>[] = [];
  const seen = new Set<K>([kpi]);
  const consider = (candidates: Iterable<K>, relation: JointReviewPartner<K, F>['relation']) => {
    for (const partner of candidates) {
      if (seen.has(partner)) continue;
      seen.add(partner);
      const theirs = resolver.ownerFunction(partner);
      if (theirs && theirs.name !== mine.name) partners.push({ partner, relation, theirs });
    }
  };
  consider(resolver.dependencies(kpi), 'depends-on');
  consider(resolver.dependents(kpi), 'depended-on-by');
  return { mine, partners };
}

/** Whether a kpi's status calls for a joint review of its cross-function hand-offs: amber or red. */
export function needsJointReview(status: string | undefined): boolean {
  return status === 'amber' || status === 'red';
}
