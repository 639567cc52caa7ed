// A small workspace for the weekly review's agenda, with every kind of item
// and the edges of the 14-day window of SOP reviews, for today = 2026-11-22.
// test/agenda.test.ts works its agenda out by hand; the CLI and browser tests
// use it too.

export const ORG = `function Sales "Sales"
function Ops "Operations"
role Seller "Sales lead" in Sales
role Planner "Ops planner" in Ops
role Zed "data analyst"
`;

export const KPIS = `kpi Growth "Sell-out growth" {
  owner Seller
  target >= 20
  thresholds { green >= 20 amber >= 12 }
  frequency monthly
  depends Delivery
  actual 2026-10 9
}
kpi Delivery "On-time delivery" {
  owner Planner
  target >= 95
  thresholds { green >= 95 amber >= 90 }
  frequency monthly
  actual 2026-10 92
}
kpi Margin "Net margin" {
  owner Planner
  unit "%"
  target >= 10
  thresholds { green >= 10 amber >= 5 }
  frequency monthly
  actual 2026-08 16
  actual 2026-09 13
  actual 2026-10 10.5
}
kpi Leads "Qualified leads" {
  owner Seller
  target >= 100
  frequency weekly
  actual 2026-W45 120
}
kpi Pipeline "Pipeline value" {
  owner Seller
  target >= 50
  frequency monthly
  actual 2026-09 60
}
kpi Orphan "Complaints per 1,000 orders" {
  target <= 5
  actual 2026-10 7
}
kpi Quiet "Data quality score" {
  owner Zed
  target >= 1
  frequency monthly
  actual 2026-10 3
}
`;

export const SOPS = `sop SopOverdue "Returns handling SOP" {
  review every 2 weeks
  reviewed 2026-11-07
}
sop SopToday "Lead intake SOP" {
  owner Zed
  review every 2 weeks
  reviewed 2026-11-08
}
sop SopEdge "Delivery slot booking SOP" {
  owner Planner
  review every 14 days
  reviewed 2026-11-22
}
sop SopOut "Promoter pitch SOP" {
  owner Seller
  review every 4 weeks
  reviewed 2026-11-09
}
sop SopNoCadence "Price list update SOP" {
  owner Seller
  reviewed 2020-01-01
}
`;

/** The three files, by workspace key. */
export const AGENDA_WORKSPACE: Record<string, string> = { 'org.kpi': ORG, 'kpis.kpi': KPIS, 'sops.kpi': SOPS };
