// The demo's composite SLO (docs/composite-slos.md): the checkout journey over the pages and the
// cart, pages weighing twice, materialised from the seeded minutes at once.
import { Prisma } from "../../generated/prisma/client";
import { prisma } from "../db/client";
import { materialiseComposites } from "../services/composite-materialise";

export async function seedDemoComposite(now: Date) {
  const db = prisma();
  const member = (service: string, slo: string) => db.slo.findFirstOrThrow({ where: { slug: slo, service: { slug: service, team: { slug: "checkout" } } } });
  const [pages, cart] = await Promise.all([member("checkout-web", "availability-995"), member("cart", "availability-999")]);
  const composite = await db.$transaction(async (tx) => {
    const sli = await tx.sli.create({
      data: { serviceId: pages.serviceId, slug: "checkout-journey", name: "Checkout journey", kind: "request_ratio", source: "composite", description: "Composite of 2 SLOs (docs/composite-slos.md)", maxDelayMinutes: 10, whenDelayed: "ignore" },
    });
    const slo = await tx.slo.create({
      data: { serviceId: pages.serviceId, sliId: sli.id, slug: "checkout-journey", name: "Checkout journey", description: "Pages and cart together, pages weighing twice", objective: "0.995", windowKind: "rolling", windowDays: 28 },
    });
    await tx.compositeMember.createMany({
      data: [
        { compositeSloId: slo.id, memberSloId: pages.id, weight: new Prisma.Decimal(2), position: 0 },
        { compositeSloId: slo.id, memberSloId: cart.id, weight: new Prisma.Decimal(1), position: 1 },
      ],
    });
    return slo;
  });
  await materialiseComposites(now, [composite.id]);
}
