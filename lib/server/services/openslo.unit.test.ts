// OpenSLO files as teams have them: every file of the OpenSLO spec's examples and README, and of the
// oslo validator's test inputs (testdata/openslo/README.md names sources, commits and licence),
// goes through the dispatcher and either imports (what it became, line by line) or is refused
// with sentences naming its document and field. Then the rules one at a time, with the numbers
// from docs/domain.md.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { calendarStartProblem, decimalText, percentText, toOpenSlo } from "../../domain/openslo";
import { parseDefinitionFiles } from "./definition-files";
import { outcomeLines } from "./openslo-outcome";

const root = join(__dirname, "testdata/openslo");
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".yaml") ? [relative(root, join(dir, e.name))] : []));
const parse = (content: string, name = "test.yaml") => parseDefinitionFiles([{ name, content }]);
const lines = (content: string) => outcomeLines(parse(content));

const notPullable = (type: string) =>
  `Burnrate pulls from Prometheus-compatible servers (Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex) or takes pushed counts; ${type} is not one of them: push good and total counts to /api/v1/ingest instead (or query a Prometheus-compatible server)`;
const secret = (key: string) => `Secrets are not read from files: leave ${key} out and set the data source's Authorization header in Burnrate (it is stored write-only and never exported)`;
const unused = (kind: string, name: string) =>
  `warning: ${kind} ${name}: ${kind} ${name} is not imported: no SLO in these files uses it, and Burnrate keeps ${kind === "SLI" ? "SLIs under the service of the SLOs that use them" : "alert settings on each SLO"}.`;

/** What each real file becomes. */
const outcomes: Record<string, string[]> = {
  "burnrate/checkout.yaml": [
    "data source prom-main (Prometheus) http://prometheus.monitoring:9090",
    "service checkout \"Checkout\" labels {\"tier\":\"1\"}",
    "  SLI checkout-errors request_ratio, pulled from data source prom-main: bad sum(increase(http_requests_total{job=\"checkout\",code=~\"5..\"}[1m])); total sum(increase(http_requests_total{job=\"checkout\"}[1m]))",
    "  SLI p99-latency time_slice 5m slices >= 0.9, pulled from url https://thanos.example.com: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"checkout\"}[5m]))) lt 0.3",
    "  SLI p99-latency-2 time_slice 5m slices >= 0.9, pulled from url https://thanos.example.com: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"checkout\"}[5m]))) lte 1",
    "  SLI requests time_slice 1m slices mean ratio, pulled from the team's default data source: good sum(increase((http_requests_total{job=\"checkout\",code!~\"5..\"})[1m:])); total sum(increase((http_requests_total{job=\"checkout\"})[1m:]))",
    "  SLO checkout-availability-internal \"Checkout availability: Internal\" on checkout-errors: 0.999 rolling 28d, alerts page on ticket on to oncall-pager, team-slack",
    "  SLO checkout-availability-sla \"Checkout availability: SLA\" on checkout-errors: 0.995 rolling 28d, alerts page on ticket on to oncall-pager, team-slack",
    "  SLO checkout-latency-under-300-ms \"Checkout p99 latency: Under 300 ms\" on p99-latency: 0.95 calendar month Europe/Berlin from 2024-02-01 00:00:00",
    "  SLO checkout-latency-under-1-s \"Checkout p99 latency: Under 1 s\" on p99-latency-2: 0.99 calendar month Europe/Berlin from 2024-02-01 00:00:00",
    "  SLO checkout-ratio-slices \"checkout-ratio-slices\" on requests: 0.95 rolling 14d",
  ],
  // A composite (docs/composite-slos.md): one member SLO per objective, then the composite with its own target.
  "burnrate/checkout-journey.yaml": [
    'service checkout "checkout"',
    '  SLI cart-errors request_ratio, pulled from url http://prometheus.monitoring:9090: good sum(increase(http_requests_total{job="cart",code!~"5.."}[1m])); total sum(increase(http_requests_total{job="cart"}[1m]))',
    '  SLI payment-errors request_ratio, pulled from url http://prometheus.monitoring:9090: bad sum(increase(http_requests_total{job="payments",code=~"5.."}[1m])); total sum(increase(http_requests_total{job="payments"}[1m]))',
    "  SLI checkout-journey request_ratio, composite of checkout/checkout-journey-cart ×1, checkout/checkout-journey-payment ×2; wait 15m, then count_as_bad",
    '  SLO checkout-journey-cart "Cart" on cart-errors: 0.99 rolling 28d',
    '  SLO checkout-journey-payment "Payment" on payment-errors: 0.999 rolling 28d',
    '  SLO checkout-journey "Checkout journey" on checkout-journey: 0.995 rolling 28d',
  ],
  "oslo/test/inputs/fmt/service.yaml": [
    "service example-service \"example-service\" labels {\"env\":\"prod\",\"team\":\"team-a,team-b\"}",
  ],
  "oslo/test/inputs/v1/alert-condition/alert-condition-invalid-name.yaml": [
    unused("AlertCondition", "my-condition"),
  ],
  "oslo/test/inputs/v1/alert-condition/alert-condition-no-condition.yaml": [
    "refused: AlertCondition my-condition | spec.condition | Give the condition: kind burnrate, op, threshold, lookbackWindow and alertAfter",
  ],
  "oslo/test/inputs/v1/alert-condition/alert-condition-no-description.yaml": [
    unused("AlertCondition", "my-condition"),
  ],
  "oslo/test/inputs/v1/alert-condition/alert-condition-no-sev.yaml": [
    "refused: AlertCondition my-condition | spec.severity | Give the severity",
  ],
  "oslo/test/inputs/v1/alert-condition/alert-condition.yaml": [
    unused("AlertCondition", "cpu-usage-breach"),
  ],
  "oslo/test/inputs/v1/alert-notification-target/alert-notification-target-no-description.yaml": [
    unused("AlertNotificationTarget", "on-call-devops-mail-notification"),
  ],
  "oslo/test/inputs/v1/alert-notification-target/alert-notification-target-no-target.yaml": [
    "refused: AlertNotificationTarget on-call-devops-mail-notification | spec.target | Give the target",
  ],
  "oslo/test/inputs/v1/alert-notification-target/alert-notification-target.yaml": [
    unused("AlertNotificationTarget", "on-call-devops-mail-notification"),
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-inline-cond.yaml": [
    unused("AlertPolicy", "my-policy"),
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-malformed-cond.yaml": [
    "refused: AlertPolicy my-policy | spec.conditions[0] | Give each condition as conditionRef: <name> or an inline AlertCondition (kind, metadata, spec)",
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-malformed-targetref.yaml": [
    "refused: AlertPolicy my-policy | spec.notificationTargets[0] | Give each notification target as targetRef: <name> or an inline AlertNotificationTarget (kind, metadata, spec)",
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-many-cond.yaml": [
    unused("AlertPolicy", "my-policy"),
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-many-notificationref.yaml": [
    unused("AlertPolicy", "my-policy"),
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-no-cond.yaml": [
    "refused: AlertPolicy my-policy | spec.conditions | Give at least one condition (conditionRef or an inline AlertCondition)",
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy-no-notification.yaml": [
    unused("AlertPolicy", "my-policy"),
  ],
  "oslo/test/inputs/v1/alert-policy/alert-policy.yaml": [
    unused("AlertPolicy", "my-policy"),
  ],
  "oslo/test/inputs/v1/data-source/data-source-cloudwatch.yaml": [
    `refused: DataSource foo-cloudwatch | spec.type | ${notPullable("CloudWatch")}`,
    `refused: DataSource foo-cloudwatch | spec.connectionDetails.accessKeyID | ${secret("accessKeyID")}`,
    `refused: DataSource foo-cloudwatch | spec.connectionDetails.secretAccessKey | ${secret("secretAccessKey")}`,
    "refused: DataSource foo-cloudwatch | spec.connectionDetails.url | Give the server's http(s) URL in spec.connectionDetails.url, e.g. http://prometheus:9090",
  ],
  "oslo/test/inputs/v1/data-source/data-source.yaml": [
    `refused: DataSource TestDataSource | spec.type | ${notPullable("CloudWatch")}`,
    `refused: DataSource TestDataSource | spec.connectionDetails.accessKeyID | ${secret("accessKeyID")}`,
    `refused: DataSource TestDataSource | spec.connectionDetails.secretAccessKey | ${secret("secretAccessKey")}`,
    "refused: DataSource TestDataSource | spec.connectionDetails.url | Give the server's http(s) URL in spec.connectionDetails.url, e.g. http://prometheus:9090",
  ],
  "oslo/test/inputs/v1/invalid-apiversion.yaml": [
    "refused: AlertNotificationTarget OnCallDevopsMailNotification | kind | kind \"AlertNotificationTarget\" is not one Burnrate reads in openslo/v1alpha: it reads Service, SLO (use openslo/v1 for the others).",
  ],
  "oslo/test/inputs/v1/multi.yaml": [
    `refused: DataSource foo-cloudwatch | spec.type | ${notPullable("CloudWatch")}`,
    `refused: DataSource foo-cloudwatch | spec.connectionDetails.accessKeyID | ${secret("accessKeyID")}`,
    `refused: DataSource foo-cloudwatch | spec.connectionDetails.secretAccessKey | ${secret("secretAccessKey")}`,
    "refused: DataSource foo-cloudwatch | spec.connectionDetails.url | Give the server's http(s) URL in spec.connectionDetails.url, e.g. http://prometheus:9090",
    `refused: SLI foo-sli | spec.thresholdMetric.metricSource.type | ${notPullable("CloudWatch")}`,
  ],
  "oslo/test/inputs/v1/service/service-long-description.yaml": [
    "service my-rad-service \"my-rad-service\"",
  ],
  "oslo/test/inputs/v1/service/service-no-displayname.yaml": [
    "service my-rad-service \"my-rad-service\"",
  ],
  "oslo/test/inputs/v1/service/service-with-labels.yaml": [
    "service my-rad-service \"My Rad Service\" labels {\"userImpacting\":\"true\",\"team\":\"identity\",\"costCentre\":\"project1\",\"serviceTier\":\"tier-1\"}",
  ],
  "oslo/test/inputs/v1/service/service.yaml": [
    "service my-rad-service \"My Rad Service\"",
  ],
  "oslo/test/inputs/v1/sli/sli-description-ratio-bad-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-description-ratio-bad-metricsourceref.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-description-ratio-good-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-description-ratio-good-metricsourceref.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-description-ratio-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-description-threshold-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-description-threshold-metricsourceref.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-no-description-ratio-bad-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-no-description-ratio-bad-metricsourceref.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-no-description-ratio-good-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-no-description-ratio-good-metricsourceref.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-no-description-threshold-inline-metricsource.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-no-description-threshold-metricsourceref.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-ratio-good-and-bad.yaml": [
    unused("SLI", "great-sli"),
  ],
  "oslo/test/inputs/v1/sli/sli-threshold-cloudwatch.yaml": [
    unused("SLI", "foo-sli"),
  ],
  "oslo/test/inputs/v1/slo/slo-composite-indicatorRef-rolling-no-alerts.yaml": [
    // A composite (docs/composite-slos.md): each objective is read as a member SLO; this file names no SLI document.
    "refused: SLO test-slo | spec.objectives[0].indicatorRef | No SLI named \"indicatorRefString\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
    "refused: SLO test-slo | spec.objectives[1].indicatorRef | No SLI named \"indicatorRefString\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
  ],
  "oslo/test/inputs/v1/slo/slo-composite-no-indicatorRef-rolling-no-alerts.yaml": [
    "refused: SLO test-slo | spec.objectives[0].indicator.spec.ratioMetric.good.metricSource.type | Burnrate pulls from Prometheus-compatible servers (Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex) or takes pushed counts; Datadog is not one of them: push good and total counts to /api/v1/ingest instead (or query a Prometheus-compatible server)",
    "refused: SLO test-slo | spec.objectives[0].indicator.spec.ratioMetric.total.metricSource.type | Burnrate pulls from Prometheus-compatible servers (Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex) or takes pushed counts; Datadog is not one of them: push good and total counts to /api/v1/ingest instead (or query a Prometheus-compatible server)",
    "refused: SLO test-slo | spec.timeWindow[0].duration | A rolling window of 1M has no fixed number of days; Burnrate's rolling windows are whole days (e.g. 28d, 4w or 720h): write e.g. 30d, or a calendar window (isRolling: false) of 1M",
    "refused: SLO test-slo | spec.objectives[1].indicator.spec.ratioMetric.good.metricSource.type | Burnrate pulls from Prometheus-compatible servers (Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex) or takes pushed counts; Datadog is not one of them: push good and total counts to /api/v1/ingest instead (or query a Prometheus-compatible server)",
    "refused: SLO test-slo | spec.objectives[1].indicator.spec.ratioMetric.total.metricSource.type | Burnrate pulls from Prometheus-compatible servers (Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex) or takes pushed counts; Datadog is not one of them: push good and total counts to /api/v1/ingest instead (or query a Prometheus-compatible server)",
  ],
  "oslo/test/inputs/v1/slo/slo-indicatorRef-rolling-cloudwatch.yaml": [
    "refused: SLO foo-openslo-slo | spec.indicatorRef | No SLI named \"foo-sli\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
  ],
  "oslo/test/inputs/v1/slo/slo-indicatorref-calendar-alerts.yaml": [
    "refused: SLO test-slo | spec.indicatorRef | No SLI named \"indicatorRefString\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
    "refused: SLO test-slo | spec.timeWindow[0].duration | A calendar window of 1 day (1d) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days",
    "refused: SLO test-slo | spec.alertPolicies[0] | No AlertPolicy named \"FooAlertPolicy\" is in these files; add its AlertPolicy document (Burnrate keeps alert policies on each SLO)",
  ],
  "oslo/test/inputs/v1/slo/slo-indicatorref-calendar-no-alerts.yaml": [
    "refused: SLO test-slo | spec.indicatorRef | No SLI named \"indicatorRefString\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
    "refused: SLO test-slo | spec.timeWindow[0].duration | A calendar window of 1 day (1d) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days",
  ],
  "oslo/test/inputs/v1/slo/slo-indicatorref-rolling-alerts.yaml": [
    "refused: SLO test-slo | spec.indicatorRef | No SLI named \"indicatorRefString\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
    "refused: SLO test-slo | spec.alertPolicies[0] | No AlertPolicy named \"FooAlertPolicy\" is in these files; add its AlertPolicy document (Burnrate keeps alert policies on each SLO)",
  ],
  "oslo/test/inputs/v1/slo/slo-indicatorref-rolling-no-alerts.yaml": [
    "refused: SLO test-slo | spec.indicatorRef | No SLI named \"indicatorRefString\" is in these files; Burnrate needs the SLI's metric source: add its SLI document, or write it inline as spec.indicator",
  ],
  "oslo/test/inputs/v1/slo/slo-no-indicatorref-calendar-alerts.yaml": [
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Datadog")}`,
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Datadog")}`,
    "refused: SLO test-slo | spec.timeWindow[0].duration | A calendar window of 1 day (1d) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days",
    "refused: SLO test-slo | spec.alertPolicies[0] | No AlertPolicy named \"FooAlertPolicy\" is in these files; add its AlertPolicy document (Burnrate keeps alert policies on each SLO)",
  ],
  "oslo/test/inputs/v1/slo/slo-no-indicatorref-calendar-no-alerts.yaml": [
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Datadog")}`,
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Datadog")}`,
    "refused: SLO test-slo | spec.timeWindow[0].duration | A calendar window of 1 day (1d) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days",
  ],
  "oslo/test/inputs/v1/slo/slo-no-indicatorref-rolling-alerts.yaml": [
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Datadog")}`,
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Datadog")}`,
    "refused: SLO test-slo | spec.timeWindow[0].duration | A rolling window of 1M has no fixed number of days; Burnrate's rolling windows are whole days (e.g. 28d, 4w or 720h): write e.g. 30d, or a calendar window (isRolling: false) of 1M",
    "refused: SLO test-slo | spec.alertPolicies[0] | No AlertPolicy named \"FooAlertPolicy\" is in these files; add its AlertPolicy document (Burnrate keeps alert policies on each SLO)",
  ],
  "oslo/test/inputs/v1/slo/slo-no-indicatorref-rolling-no-alerts.yaml": [
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Datadog")}`,
    `refused: SLO test-slo | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Datadog")}`,
    "refused: SLO test-slo | spec.timeWindow[0].duration | A rolling window of 1M has no fixed number of days; Burnrate's rolling windows are whole days (e.g. 28d, 4w or 720h): write e.g. 30d, or a calendar window (isRolling: false) of 1M",
  ],
  "oslo/test/inputs/v1/slo/slo-with-annotations.yaml": [
    "refused: SLO monthy-openslo-slo | spec.indicator.spec | Give the indicator a ratioMetric (good or bad, and total) or a thresholdMetric",
  ],
  "oslo/test/inputs/v1/slo/slo-with-labels.yaml": [
    "refused: SLO labeled-slo | spec.indicator.spec | Give the indicator a ratioMetric (good or bad, and total) or a thresholdMetric",
  ],
  "oslo/test/inputs/v1alpha/invalid-service.yaml": [
    "refused: Service my-rad service | metadata.name | Use lowercase letters, digits and single dashes for the slug, e.g. payments-api",
  ],
  "oslo/test/inputs/v1alpha/valid-service.yaml": [
    "service my-rad-service \"My Rad Service\"",
  ],
  "oslo/test/inputs/v1alpha/valid-slos-ratio.yaml": [
    "refused: SLO ratio | spec.objectives[0].timeSliceWindow | Timeslices needs the objective's timeSliceWindow, e.g. 1m",
  ],
  "oslo/test/inputs/v1alpha/valid-slos-threshold.yaml": [
    "service my-awesome-service \"my-awesome-service\"",
    "  SLI my-amazing-slo request_ratio, pulled from the team's default data source: latency_west_c7{code=\"ALL\",instance=\"localhost:3000\",job=\"prometheus\",service=\"globalaccount\"} gt 2000",
    "  SLO my-amazing-slo \"My amazing SLO\" on my-amazing-slo: 0.99 calendar month UTC from 2021-05-01 00:00:00",
  ],
  "oslo/test/inputs/validate/v1.yaml": [
    "refused: SLO web-availability | spec.timeWindow[0].calendar.startTime | startTime 2022-01-01 12:00:00 is not the start of a calendar week in America/New_York; Burnrate's weekly windows begin on Monday at 00:00, so the window cannot start there (it is not moved: write a startTime on such a boundary, or leave it out)",
    "refused: Service example service | metadata.name | Use lowercase letters, digits and single dashes for the slug, e.g. payments-api",
  ],
  "oslo/test/inputs/validate/v1alpha.yaml": [
    "refused: SLO ratio | spec.objectives[0].timeSliceWindow | Timeslices needs the objective's timeSliceWindow, e.g. 1m",
    "refused: Service my-rad service | metadata.name | Use lowercase letters, digits and single dashes for the slug, e.g. payments-api",
  ],
  "spec/examples/budgeting-method/occurences-slo.yaml": [
    `refused: SLO search-slo | spec.indicator.spec.thresholdMetric.metricSource.type | ${notPullable("Any")}`,
  ],
  "spec/examples/budgeting-method/ratio-timeslices.yaml": [
    `refused: SLO main-page | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Any")}`,
    `refused: SLO main-page | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Any")}`,
  ],
  "spec/examples/budgeting-method/timeslices-slo.yaml": [
    `refused: SLO service-availability | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Any")}`,
    `refused: SLO service-availability | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Any")}`,
    "refused: SLO service-availability | spec.timeWindow[0].duration | A calendar window of 1 minute (1m) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days",
  ],
  "spec/examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml": [
    `refused: SLO service-availability | spec.indicator.spec.ratioMetric.good.metricSource.type | ${notPullable("Any")}`,
    `refused: SLO service-availability | spec.indicator.spec.ratioMetric.total.metricSource.type | ${notPullable("Any")}`,
    "refused: SLO service-availability | spec.timeWindow[0].calendar.startTime | startTime 2022-01-01 12:00:00 is not the start of a calendar week in America/New_York; Burnrate's weekly windows begin on Monday at 00:00, so the window cannot start there (it is not moved: write a startTime on such a boundary, or leave it out)",
  ],
  "spec/readme/block-03-datasource.yaml": [
    `refused: DataSource string | spec.type | ${notPullable("CloudWatch")}`,
    `refused: DataSource string | spec.connectionDetails.accessKeyID | ${secret("accessKeyID")}`,
    `refused: DataSource string | spec.connectionDetails.secretAccessKey | ${secret("secretAccessKey")}`,
    "refused: DataSource string | spec.connectionDetails.url | Give the server's http(s) URL in spec.connectionDetails.url, e.g. http://prometheus:9090",
  ],
  "spec/readme/block-08-slo.yaml": [
    "refused: SLO foo-slo | spec.timeWindow | Give exactly one time window, e.g. [{ duration: 28d, isRolling: true }]",
    "refused: SLO foo-slo | spec.budgetingMethod | Give the budgetingMethod: Occurrences, Timeslices or RatioTimeslices",
  ],
  "spec/readme/block-13-alertpolicy.yaml": [
    unused("AlertPolicy", "AlertPolicy"),
  ],
  "spec/readme/block-14-alertpolicy.yaml": [
    unused("AlertPolicy", "AlertPolicy"),
  ],
  "spec/readme/block-16-alertcondition.yaml": [
    unused("AlertCondition", "cpu-usage-breach"),
  ],
  "spec/readme/block-18-alertnotificationtarget.yaml": [
    unused("AlertNotificationTarget", "OnCallDevopsMailNotification"),
  ],
  "spec/readme/block-19-alertnotificationtarget.yaml": [
    unused("AlertNotificationTarget", "OnCallDevopsSlackNotification"),
  ],
  "spec/readme/block-20-service.yaml": [
    "service string \"string\"",
  ],};

describe("real OpenSLO files", () => {
  it("the table lists every file in testdata/openslo", () => {
    expect(Object.keys(outcomes).sort()).toEqual(files(root).sort());
  });

  it.each(Object.entries(outcomes))("%s", (file, expected) => {
    const r = parseDefinitionFiles([{ name: file, content: readFileSync(join(root, file), "utf8") }]);
    expect(outcomeLines(r)).toEqual(expected);
    // A refusal names the file, its document by kind and metadata.name, and the field.
    for (const p of r.problems) {
      expect(p.file).toBe(file);
      expect(p.document).toMatch(/^(Service|SLI|SLO|DataSource|AlertPolicy|AlertCondition|AlertNotificationTarget) \S/);
      expect(p.field).not.toBe("");
    }
  });
});

const slo = (spec: string, extra = "") => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  indicator:
    metadata:
      name: ok
    spec:
      ratioMetric:
        good:
          metricSource:
            type: Prometheus
            spec:
              url: http://prometheus:9090
              query: sum(increase(ok_total[1m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              url: http://prometheus:9090
              query: sum(increase(all_total[1m]))
${spec}
${extra}`;
const rolling30 = "  timeWindow: [{ duration: 30d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]";

describe("OpenSLO time windows", () => {
  it.each([
    ["28d", "rolling 28d"],
    ["4w", "rolling 28d"],
    ["720h", "rolling 30d"],
    ["43200m", "rolling 30d"],
  ])("rolling %s is %s", (duration, window) => {
    expect(lines(slo(`  timeWindow: [{ duration: ${duration}, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]`)).at(-1)).toContain(window);
  });

  it.each([
    ["36h", true, "spec.timeWindow[0].duration", "A rolling window of 36h is not a whole number of days; Burnrate's rolling windows are whole days, e.g. 28d, 4w or 720h"],
    ["1M", true, "spec.timeWindow[0].duration", "A rolling window of 1M has no fixed number of days; Burnrate's rolling windows are whole days (e.g. 28d, 4w or 720h): write e.g. 30d, or a calendar window (isRolling: false) of 1M"],
    ["1Y", false, "spec.timeWindow[0].duration", "A calendar window of 1 year (1Y) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days"],
    ["2M", false, "spec.timeWindow[0].duration", "A calendar window of 2 months (2M) is not one Burnrate has: calendar windows are 1w (a week from Monday), 1M (a month from the 1st) or 1Q (a quarter); for other lengths use a rolling window in days"],
    ["thirty days", true, "spec.timeWindow[0].duration", 'duration "thirty days" is not an OpenSLO duration: write a whole number and one of m, h, d, w, M, Q, Y, e.g. 28d or 1M'],
  ])("%s (rolling %s) is refused", (duration, isRolling, field, message) => {
    const r = parse(slo(`  timeWindow: [{ duration: ${duration}, isRolling: ${isRolling} }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]`));
    expect(r.problems).toEqual([{ file: "test.yaml", document: "SLO api-availability", field, message }]);
  });

  it("a calendar startTime on a boundary is kept as written; elsewhere it is refused, never moved", () => {
    const cal = (start: string, duration = "1M") => slo(`  timeWindow:\n    - duration: ${duration}\n      isRolling: false\n      calendar: { startTime: "${start}", timeZone: Europe/Berlin }\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]`);
    expect(parse(cal("2022-01-01 00:00:00")).set.services[0]!.slos[0]).toMatchObject({ window: { kind: "calendar", unit: "month", timeZone: "Europe/Berlin" }, calendarStart: "2022-01-01 00:00:00" });
    expect(parse(cal("2022-01-03 12:00:00")).problems).toEqual([
      {
        file: "test.yaml",
        document: "SLO api-availability",
        field: "spec.timeWindow[0].calendar.startTime",
        message:
          "startTime 2022-01-03 12:00:00 is not the start of a calendar month in Europe/Berlin; Burnrate's monthly windows begin on the 1st at 00:00, so the window cannot start there (it is not moved: write a startTime on such a boundary, or leave it out)",
      },
    ]);
  });

  it.each([
    ["2024-01-01 00:00:00", "week", null], // a Monday
    ["2024-01-02 00:00:00", "week", "not the start of a calendar week"],
    ["2024-04-01 00:00:00", "quarter", null],
    ["2024-02-01 00:00:00", "quarter", "not the start of a calendar quarter"],
    ["2024-02-01 00:00:00", "month", null],
    ["2024-02-01 00:30:00", "month", "not the start of a calendar month"],
    ["2024-02-30 00:00:00", "month", "is not a date and time"],
    ["2024-03-01T00:00:00", "month", null],
  ] as const)("startTime %s for a %s: %s", (start, unit, problem) => {
    const p = calendarStartProblem(start, unit, "UTC");
    if (problem === null) expect(p).toBeNull();
    else expect(p).toContain(problem);
  });
});

describe("OpenSLO objectives and budgeting methods", () => {
  it("targets keep the decimal as written; targetPercent moves the point in the text", () => {
    expect([decimalText(0.999), decimalText(0.9995), percentText(99.9), percentText(99.95), percentText(95), percentText(99.999)]).toEqual(["0.999", "0.9995", "0.999", "0.9995", "0.95", "0.99999"]);
  });

  it("several objectives become one SLO each, named after the objective", () => {
    const out = lines(slo("  timeWindow: [{ duration: 28d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives:\n    - { displayName: Internal goal, target: 0.999 }\n    - { name: sla, targetPercent: 99.5 }"));
    expect(out.filter((l) => l.includes("SLO "))).toEqual([
      '  SLO api-availability-internal-goal "api-availability: Internal goal" on ok: 0.999 rolling 28d',
      '  SLO api-availability-sla "api-availability: sla" on ok: 0.995 rolling 28d',
    ]);
  });

  it("Timeslices: 2 weeks of 1-minute slices at 95 % (the OpenSLO example: 20,160 slices, 1,008 in the budget)", () => {
    const r = parse(slo("  timeWindow: [{ duration: 2w, isRolling: true }]\n  budgetingMethod: Timeslices\n  objectives: [{ target: 0.95, timeSliceTarget: 0.99, timeSliceWindow: 1m }]"));
    expect(r.problems).toEqual([]);
    expect(r.set.services[0]!.slis[0]).toMatchObject({ kind: "time_slice", sliceMinutes: 1, sliceTarget: "0.99", sliceMethod: "count_good" });
    expect(r.set.services[0]!.slos[0]).toMatchObject({ objective: "0.95", window: { kind: "rolling", days: 14 } });
  });

  it("RatioTimeslices is a mean of slice ratios, with no slice target", () => {
    const r = parse(slo("  timeWindow: [{ duration: 2w, isRolling: true }]\n  budgetingMethod: RatioTimeslices\n  objectives: [{ target: 0.95, timeSliceWindow: 5m }]"));
    expect(r.set.services[0]!.slis[0]).toMatchObject({ kind: "time_slice", sliceMinutes: 5, sliceTarget: null, sliceMethod: "mean_ratio" });
  });

  it.each([
    ["  budgetingMethod: Timeslices\n  objectives: [{ target: 0.95, timeSliceWindow: 1m }]", "spec.objectives[0].timeSliceTarget", "Timeslices needs the objective's timeSliceTarget: the ratio a slice must meet to be good, e.g. 0.95"],
    ["  budgetingMethod: Timeslices\n  objectives: [{ target: 0.95, timeSliceTarget: 0.9, timeSliceWindow: 30s }]", "spec.objectives[0].timeSliceWindow", 'timeSliceWindow "30s" is not a slice Burnrate has: slices are whole minutes from 1m to 1d, e.g. 1m or 5m'],
    ["  budgetingMethod: Sometimes\n  objectives: [{ target: 0.95 }]", "spec.budgetingMethod", 'budgetingMethod "Sometimes" is not one OpenSLO v1 defines: use Occurrences, Timeslices, RatioTimeslices'],
    ["  budgetingMethod: Occurrences\n  objectives: [{ target: 1.5 }]", "spec.objectives[0].target", "The objective must be between 0 and 1 (exclusive)"],
  ])("refused: %s", (spec, field, message) => {
    expect(parse(slo(`  timeWindow: [{ duration: 28d, isRolling: true }]\n${spec}`)).problems).toEqual([{ file: "test.yaml", document: "SLO api-availability", field, message }]);
  });
});

describe("OpenSLO metric sources", () => {
  const sli = (ratio: string) => `apiVersion: openslo/v1
kind: SLI
metadata: { name: ok }
spec:
${ratio}
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: api-availability }
spec:
  service: api
  indicatorRef: ok
${rolling30}`;

  it.each([
    [
      "  ratioMetric:\n    rawType: success\n    raw: { metricSource: { type: Prometheus, spec: { query: ratio } } }",
      "spec.ratioMetric.raw",
      "A raw ratio (rawType and raw) carries no event counts, so budgets and burn rates cannot be weighed by events; Burnrate needs counts: give good (or bad) and total queries, or push good and total counts to /api/v1/ingest",
    ],
    [
      "  ratioMetric:\n    good: { metricSource: { type: Datadog, spec: { query: a } } }\n    total: { metricSource: { type: Prometheus, spec: { query: b, url: 'http://p:9090' } } }",
      "spec.ratioMetric.good.metricSource.type",
      notPullable("Datadog"),
    ],
    [
      "  ratioMetric:\n    good: { metricSource: { type: Prometheus, spec: { query: a, url: 'http://p:9090', bearerToken: x } } }\n    total: { metricSource: { type: Prometheus, spec: { query: b, url: 'http://p:9090' } } }",
      "spec.ratioMetric.good.metricSource.spec.bearerToken",
      "Secrets are not read from files: leave bearerToken out and set the Authorization header on the data source in Burnrate",
    ],
    [
      "  ratioMetric:\n    good: { metricSource: { type: Prometheus, spec: { query: a, url: 'http://p:9090' } } }\n    total: { metricSource: { type: Prometheus, spec: { query: b, url: 'http://q:9090' } } }",
      "spec.ratioMetric.total.metricSource",
      "good and total must be pulled from the same server (the same metricSourceRef or url)",
    ],
    [
      "  ratioMetric:\n    good: { metricSource: { spec: { query: a } } }\n    total: { metricSource: { spec: { query: b } } }",
      "spec.ratioMetric.good.metricSource.type",
      "Say where to pull from: type Prometheus (or another of (Prometheus, Thanos, Mimir, VictoriaMetrics, Cortex)) with spec.url, or metricSourceRef naming a data source",
    ],
  ])("refused on the SLI document: %s", (ratio, field, message) => {
    expect(parse(sli(ratio)).problems[0]).toEqual({ file: "test.yaml", document: "SLI ok", field, message });
  });

  it("Burnrate's push dialect and a metricSourceRef to a data source of the team both import", () => {
    expect(lines(sli("  ratioMetric:\n    counter: true\n    good: { metricSource: { type: Burnrate, spec: { service: api, sli: ok, series: good } } }\n    total: { metricSource: { type: Burnrate, spec: { service: api, sli: ok, series: total } } }"))).toContain("  SLI ok request_ratio, pushed");
    expect(lines(sli("  ratioMetric:\n    good: { metricSource: { metricSourceRef: thanos-eu, spec: { query: a } } }\n    total: { metricSource: { metricSourceRef: thanos-eu, spec: { query: b } } }"))).toContain(
      "  SLI ok request_ratio, pulled from data source thanos-eu: good a; total b",
    );
  });

  it("an SLI used by SLOs of two services is copied into each", () => {
    const out = lines(`${sli("  ratioMetric:\n    good: { metricSource: { metricSourceRef: p, spec: { query: a } } }\n    total: { metricSource: { metricSourceRef: p, spec: { query: b } } }")}
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: web-availability }
spec:
  service: web
  indicatorRef: ok
${rolling30}`);
    expect(out.filter((l) => l.startsWith("service") || l.includes("SLI "))).toEqual(['service api "api"', "  SLI ok request_ratio, pulled from data source p: good a; total b", 'service web "web"', "  SLI ok request_ratio, pulled from data source p: good a; total b"]);
  });
});

describe("OpenSLO alert policies onto the burn-rate table", () => {
  const policy = (threshold: number, lookback: string, window = "30d", rollingWindow = true) =>
    slo(
      `  timeWindow: [{ duration: ${window}, isRolling: ${rollingWindow} }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]`,
      `  alertPolicies:
    - kind: AlertPolicy
      metadata: { name: fast }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: c }
            spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: ${threshold}, lookbackWindow: ${lookback}, alertAfter: 5m } }
        notificationTargets: [{ targetRef: oncall }]`,
    );

  // docs/domain.md: 30 days -> 14.4, 6, 3, 1; 28 days -> 13.44, 5.6, 2.8, 0.9333...
  it.each([
    [14.4, "1h", "30d", "page on ticket off"],
    [6, "6h", "30d", "page on ticket off"],
    [3, "1d", "30d", "page off ticket on"],
    [1, "3d", "30d", "page off ticket on"],
    [13.44, "1h", "28d", "page on ticket off"],
    [0.9333, "3d", "28d", "page off ticket on"],
  ])("%s over %s for a %s window enables that row's severity", (threshold, lookback, window, severities) => {
    expect(lines(policy(threshold, lookback, window)).at(-1)).toContain(`alerts ${severities} to oncall`);
  });

  it("a calendar month accepts the factor of any month length (13.44 to 14.88 over 1h)", () => {
    expect(parse(policy(14.88, "1h", "1M", false)).problems).toEqual([]);
    expect(parse(policy(13.44, "1h", "1M", false)).problems).toEqual([]);
  });

  it("a condition that matches no row is refused, listing the rows for the SLO's window", () => {
    expect(parse(policy(2, "1h")).problems).toEqual([
      {
        file: "test.yaml",
        document: "SLO api-availability",
        field: "spec.alertPolicies[0].spec.conditions[0].spec.condition",
        message: "A burn rate of 2 over 1h is not a row of Burnrate's alert table; for SLO api-availability's 30-day rolling window Burnrate alerts on 14.4 over 1h (page), 6 over 6h (page), 3 over 1d (ticket), 1 over 3d (ticket)",
      },
    ]);
  });
});

describe("OpenSLO v1alpha", () => {
  it("names v1alpha fields in its refusals", () => {
    const r = parse(`apiVersion: openslo/v1alpha
kind: SLO
metadata: { name: http-availability }
spec:
  service: api
  budgetingMethod: Occurrences
  objectives:
    - ratioMetrics:
        good: { source: datadog, query: 'sum:ok' }
        total: { source: prometheus, queryType: promql, query: 'sum(increase(all[1m]))' }
      target: 0.999
  timeWindows: [{ count: 1, unit: Year, isRolling: false }]`);
    expect(r.problems.map((p) => [p.field, p.message.slice(0, 40)])).toEqual([
      ["spec.objectives[0].ratioMetrics.good.source", "Burnrate pulls from Prometheus-compatibl"],
      ["spec.timeWindows[0].unit", "A calendar window of 1 year (1Y) is not "],
    ]);
  });

  it("reads a v1alpha ratio SLO (what Sloth reads) as a pull SLI", () => {
    expect(
      lines(`apiVersion: openslo/v1alpha
kind: SLO
metadata: { name: http-availability, displayName: HTTP availability }
spec:
  service: api
  budgetingMethod: Occurrences
  objectives:
    - ratioMetrics:
        good: { source: prometheus, queryType: promql, query: 'sum(increase(ok[{{.window}}]))' }
        total: { source: prometheus, queryType: promql, query: 'sum(increase(all[{{.window}}]))' }
      target: 0.999
  timeWindows: [{ count: 30, unit: Day, isRolling: true }]`),
    ).toEqual([
      'service api "api"',
      // {{.window}} is filled with Burnrate's 1-minute step.
      "  SLI http-availability request_ratio, pulled from the team's default data source: good sum(increase(ok[1m])); total sum(increase(all[1m]))",
      '  SLO http-availability "HTTP availability" on http-availability: 0.999 rolling 30d',
    ]);
  });
});

describe("OpenSLO export", () => {
  it("export, import, export gives the same text (every field kept)", () => {
    const once = (content: string) => {
      const r = parse(content);
      expect(r.problems).toEqual([]);
      return toOpenSlo(r.set)
        .map((d) => stringify(d, { lineWidth: 0 }))
        .join("---\n");
    };
    const first = once(readFileSync(join(root, "burnrate/checkout.yaml"), "utf8"));
    expect(once(first)).toBe(first);
    expect(first).toContain("startTime: 2024-02-01 00:00:00");
    expect(first).toContain("budgetingMethod: RatioTimeslices");
    expect(first).toContain("targetRef: team-slack");
    expect(first).not.toMatch(/secret|authHeader/i);
  });

  it("alert settings made without OpenSLO policies (page only, channels, Sloth's labels) survive export and import", () => {
    const r = parse(slo("  timeWindow: [{ duration: 1M, isRolling: false, calendar: { startTime: 2024-01-01 00:00:00, timeZone: UTC } }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]"));
    const alerting = r.set.services[0]!.slos[0]!.alerting;
    Object.assign(alerting, { name: "ApiAvailability", labels: { team: "core" }, annotations: {}, channels: ["oncall"] });
    alerting.ticket = { enabled: false, labels: {}, annotations: {} };
    alerting.page.labels = { severity: "critical" };
    const text = toOpenSlo(r.set)
      .map((d) => stringify(d, { lineWidth: 0 }))
      .join("---\n");
    expect(text).toContain("threshold: 14.4\n");
    expect(text).toContain("lookbackWindow: 6h\n");
    const back = parse(text);
    expect(back.problems).toEqual([]);
    expect(back.set.services[0]!.slos[0]!.alerting).toMatchObject({ name: "ApiAvailability", labels: { team: "core" }, channels: ["oncall"], page: { enabled: true, labels: { severity: "critical" } }, ticket: { enabled: false } });
  });

  it("per-row alert settings and the no-data and budget-below alerts survive export and import (docs/alerting.md)", () => {
    const r = parse(slo("  timeWindow: [{ duration: 28d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]"));
    const alerting = r.set.services[0]!.slos[0]!.alerting;
    Object.assign(alerting, { rules: [{ factor: 20 }, { long: "2h", short: "5m" }, { enabled: false }], noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 } });
    const text = toOpenSlo(r.set)
      .map((d) => stringify(d, { lineWidth: 0 }))
      .join("---\n");
    expect(text).toContain("burnrate.dev/alert-tuning");
    const back = parse(text);
    expect(back.problems).toEqual([]);
    expect(back.set.services[0]!.slos[0]!.alerting).toMatchObject({ rules: [{ factor: 20 }, { long: "2h", short: "5m" }, { enabled: false }], noData: { enabled: true }, budgetBelow: { enabled: true, percent: 20 } });
    // A tuning the settings would refuse is refused here too, naming the annotation and the field.
    const bad = parse(text.replace(/"long":"2h","short":"5m"/, '"long":"2h"'));
    expect(bad.problems.map((p) => [p.field, p.message])).toEqual([["metadata.annotations.burnrate.dev/alert-tuning", expect.stringContaining("rules[1].short: 2 h / 12 = 10 min")]]);
  });

  it("an SLO with every alert row off exports as off (no policies would read back as Burnrate's defaults, all on)", () => {
    const r = parse(slo("  timeWindow: [{ duration: 28d, isRolling: true }]\n  budgetingMethod: Occurrences\n  objectives: [{ target: 0.999 }]"));
    const alerting = r.set.services[0]!.slos[0]!.alerting;
    alerting.page.enabled = alerting.ticket.enabled = false;
    const text = toOpenSlo(r.set)
      .map((d) => stringify(d, { lineWidth: 0 }))
      .join("---\n");
    expect(text).not.toContain("alertPolicies");
    const back = parse(text);
    expect(back.problems).toEqual([]);
    expect(back.set.services[0]!.slos[0]!.alerting).toMatchObject({ page: { enabled: false }, ticket: { enabled: false } });
    // Saying "off" beside policies is a contradiction, refused naming the annotation.
    const both = parse(text.replace("\n  indicatorRef:", "\n  alertPolicies: [{ kind: AlertPolicy, metadata: { name: p }, spec: { conditions: [{ kind: AlertCondition, metadata: { name: c }, spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m } } }], notificationTargets: [] } }]\n  indicatorRef:"));
    expect(both.problems.map((p) => p.field)).toContain("metadata.annotations.burnrate.dev/alerting");
  });
});
