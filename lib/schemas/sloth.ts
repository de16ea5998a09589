// Validation of Sloth service levels arriving as SLO-as-code documents, one schema per input:
// `version: "prometheus/v1"` files (snake_case) and the Kubernetes PrometheusServiceLevel object
// (apiVersion sloth.slok.dev/v1, camelCase). Both parse into the one shape lib/domain/sloth.ts
// converts. Field names follow Sloth's Go types (pkg/prometheus/api/v1/v1.go and
// pkg/kubernetes/api/sloth/v1/types.go). Unknown fields are refused rather than dropped: Sloth
// ignores a misspelt `pageAlert` in a prometheus/v1 file and loses its labels silently.
import { z } from "zod";
import type { SlothDoc } from "../domain/sloth";

/** A field name in another spelling (case, dashes and underscores aside), to suggest it. */
const squash = (k: string) => k.toLowerCase().replace(/[-_]/g, "");

/** A strict object whose unknown-field message names the field and, when it is a misspelling, the right one. */
function strict<S extends z.core.$ZodLooseShape>(shape: S, where: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === "invalid_type") return iss.input === undefined ? `${where} is missing.` : `${where} must be a mapping of fields, not ${Array.isArray(iss.input) ? "a list" : "a single value"}.`;
      if (iss.code !== "unrecognized_keys") return undefined;
      return iss.keys
        .map((k) => {
          const like = known.find((x) => squash(x) === squash(k));
          return like ? `${k} is not a field of ${where}: this format spells it ${like}.` : `${k} is not a field of ${where} (it has ${known.join(", ")}).`;
        })
        .join(" ");
    },
  });
}

/** null or absent (a YAML key with nothing after it) is the empty value. */
const orEmpty = <T extends z.ZodType>(schema: T, empty: unknown) => z.preprocess((v) => v ?? empty, schema);

// Sloth's labels are map[string]string, but YAML writes `tier: 2` or `generated: true` unquoted
// (Sloth's own victoria-metrics example does): scalars are kept as the text they stand for.
const labels = orEmpty(
  z.record(z.string(), z.union([z.string().max(1000), z.number(), z.boolean()], { error: "A label value must be text (or a number or true/false), not a list or a mapping." }).transform(String)),
  {},
);
const text = (max: number, field: string) => z.string({ error: (iss) => (iss.input === undefined ? `${field} is missing.` : `${field} must be text.`) }).max(max, `${field} must be at most ${max} characters.`);
const query = (field: string) => text(10_000, field).min(1, `${field} is empty.`);

const plugins = (where: string) =>
  strict(
    {
      overridePrevious: z.boolean().default(false),
      chain: orEmpty(z.array(z.looseObject({ id: text(300, "id"), config: z.unknown().optional(), priority: z.number().optional() })).max(100), []),
    },
    where,
  );

const alert = (where: string) =>
  orEmpty(strict({ disable: z.boolean({ error: "disable must be true or false." }).default(false), labels, annotations: labels }, where), {});

const objective = z.number({ error: "objective must be a number: the percentage, e.g. 99.9." });
const sloName = text(128, "name").min(1, "name is empty: every Sloth SLO needs one.");

export const slothPrometheusV1Schema = strict(
  {
    version: z.literal("prometheus/v1"),
    service: text(128, "service").min(1, "service is empty: every Sloth file names its service."),
    labels,
    slo_plugins: plugins("slo_plugins").nullish(),
    slos: z
      .array(
        strict(
          {
            name: sloName,
            description: orEmpty(text(2000, "description"), ""),
            objective,
            labels,
            plugins: plugins("plugins").nullish(),
            sli: orEmpty(
              strict(
                {
                  events: strict({ error_query: query("error_query"), total_query: query("total_query") }, "sli.events").nullish(),
                  raw: strict({ error_ratio_query: query("error_ratio_query") }, "sli.raw").nullish(),
                  plugin: strict({ id: text(300, "id"), options: orEmpty(labels, {}) }, "sli.plugin").nullish(),
                },
                "sli",
              ),
              {},
            ),
            alerting: orEmpty(
              strict(
                { name: orEmpty(text(200, "name"), ""), labels, annotations: labels, page_alert: alert("page_alert"), ticket_alert: alert("ticket_alert") },
                "alerting",
              ),
              {},
            ),
          },
          "a Sloth SLO",
        ),
        { error: "slos must be a list of SLOs." },
      )
      .min(1, "slos is empty: a Sloth file defines at least one SLO.")
      .max(500, "At most 500 SLOs per document."),
  },
  "a Sloth prometheus/v1 file",
).transform(
  (d): SlothDoc => ({
    dialect: "prometheus/v1",
    service: d.service,
    labels: d.labels,
    sloPlugins: d.slo_plugins ?? null,
    slos: d.slos.map((s) => ({
      name: s.name,
      description: s.description,
      objective: s.objective,
      labels: s.labels,
      plugins: s.plugins ?? null,
      sli: {
        events: s.sli.events ? { errorQuery: s.sli.events.error_query, totalQuery: s.sli.events.total_query } : null,
        raw: s.sli.raw ? { errorRatioQuery: s.sli.raw.error_ratio_query } : null,
        plugin: s.sli.plugin ? { id: s.sli.plugin.id } : null,
      },
      alerting: { name: s.alerting.name, labels: s.alerting.labels, annotations: s.alerting.annotations, pageAlert: s.alerting.page_alert, ticketAlert: s.alerting.ticket_alert },
    })),
  }),
);

export const slothKubernetesSchema = z
  .looseObject({
    apiVersion: z.literal("sloth.slok.dev/v1", { error: 'apiVersion must be "sloth.slok.dev/v1" for a PrometheusServiceLevel.' }),
    kind: z.literal("PrometheusServiceLevel"),
    // Kubernetes metadata (namespace, labels, annotations) and status belong to the cluster, not the SLOs.
    metadata: z.looseObject({ name: z.string().optional() }).optional(),
    spec: strict(
      {
        service: text(128, "service").min(1, "service is empty: every PrometheusServiceLevel names its service."),
        labels,
        sloPlugins: plugins("sloPlugins").nullish(),
        slos: z
          .array(
            strict(
              {
                name: sloName,
                description: orEmpty(text(2000, "description"), ""),
                objective,
                labels,
                plugins: plugins("plugins").nullish(),
                sli: orEmpty(
                  strict(
                    {
                      events: strict({ errorQuery: query("errorQuery"), totalQuery: query("totalQuery") }, "sli.events").nullish(),
                      raw: strict({ errorRatioQuery: query("errorRatioQuery") }, "sli.raw").nullish(),
                      plugin: strict({ id: text(300, "id"), options: orEmpty(labels, {}) }, "sli.plugin").nullish(),
                    },
                    "sli",
                  ),
                  {},
                ),
                alerting: orEmpty(
                  strict({ name: orEmpty(text(200, "name"), ""), labels, annotations: labels, pageAlert: alert("pageAlert"), ticketAlert: alert("ticketAlert") }, "alerting"),
                  {},
                ),
              },
              "a Sloth SLO",
            ),
            { error: "spec.slos must be a list of SLOs." },
          )
          .min(1, "spec.slos is empty: a PrometheusServiceLevel defines at least one SLO.")
          .max(500, "At most 500 SLOs per document."),
      },
      "spec",
    ),
  })
  .transform(
    (d): SlothDoc => ({
      dialect: "kubernetes",
      service: d.spec.service,
      labels: d.spec.labels,
      sloPlugins: d.spec.sloPlugins ?? null,
      slos: d.spec.slos.map((s) => ({
        name: s.name,
        description: s.description,
        objective: s.objective,
        labels: s.labels,
        plugins: s.plugins ?? null,
        sli: {
          events: s.sli.events ? { errorQuery: s.sli.events.errorQuery, totalQuery: s.sli.events.totalQuery } : null,
          raw: s.sli.raw ? { errorRatioQuery: s.sli.raw.errorRatioQuery } : null,
          plugin: s.sli.plugin ? { id: s.sli.plugin.id } : null,
        },
        alerting: { name: s.alerting.name, labels: s.alerting.labels, annotations: s.alerting.annotations, pageAlert: s.alerting.pageAlert, ticketAlert: s.alerting.ticketAlert },
      })),
    }),
  );
