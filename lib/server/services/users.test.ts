import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeUser, unique } from "../testing/factories";
import { AccountLockedError, createUser, upsertOidcUser, verifyCredentials } from "./users";

describe("users", () => {
  it("store argon2id hashes and verify passwords", async () => {
    const { actor } = await makeUser({ isSiteAdmin: true });
    const email = `${unique("p")}@example.test`;
    await createUser(actor, { name: "P", email, password: "correct horse battery", isSiteAdmin: false });
    const row = await prisma().user.findUniqueOrThrow({ where: { email } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyCredentials({ email, password: "correct horse battery" })).toMatchObject({ email });
    expect(await verifyCredentials({ email, password: "wrong horse battery" })).toBeNull();
    expect(await verifyCredentials({ email: "missing@example.test", password: "correct horse battery" })).toBeNull();
  });

  it("lock an account after 10 failed sign-ins in a row, even to the right password, for 15 minutes", async () => {
    const { actor } = await makeUser({ isSiteAdmin: true });
    const email = `${unique("l")}@example.test`;
    const good = { email, password: "correct horse battery" };
    const bad = { email, password: "wrong horse battery" };
    await createUser(actor, { name: "L", email, password: good.password, isSiteAdmin: false });
    const t0 = new Date("2026-12-01T10:00:00Z");
    // Nine failures, then a success: the count starts again.
    for (let i = 0; i < 9; i++) expect(await verifyCredentials(bad, t0)).toBeNull();
    expect(await verifyCredentials(good, t0)).toMatchObject({ email });
    expect((await prisma().user.findUniqueOrThrow({ where: { email } })).failedSignIns).toBe(0);
    // Ten failures at once (as parallel guessing would): every one counts, the tenth locks.
    await Promise.all(Array.from({ length: 10 }, () => verifyCredentials(bad, t0)));
    const locked = await prisma().user.findUniqueOrThrow({ where: { email } });
    expect(locked.lockedUntil).toEqual(new Date("2026-12-01T10:15:00Z"));
    await expect(verifyCredentials(good, new Date("2026-12-01T10:14:59Z"))).rejects.toBeInstanceOf(AccountLockedError);
    // When the lock ends the right password works and clears it.
    expect(await verifyCredentials(good, new Date("2026-12-01T10:15:00Z"))).toMatchObject({ email });
    expect(await prisma().user.findUniqueOrThrow({ where: { email } })).toMatchObject({ failedSignIns: 0, lockedUntil: null });
  });

  it("only site admins create users; duplicates are refused", async () => {
    const { actor: plain } = await makeUser();
    const { actor: site } = await makeUser({ isSiteAdmin: true });
    const email = `${unique("d")}@example.test`;
    const input = { name: "D", email, password: "0123456789abcdef", isSiteAdmin: false };
    await expect(createUser(plain, input)).rejects.toMatchObject({ status: 403 });
    await createUser(site, input);
    await expect(createUser(site, input)).rejects.toMatchObject({ status: 409, fields: { email: "is already taken" } });
  });

  it("OIDC: links a verified email, refuses an unverified one, and remembers the subject", async () => {
    const { user } = await makeUser();
    const issuer = `https://${unique("idp")}.example.test`;
    expect(await upsertOidcUser({ issuer, subject: "s1", email: user.email, emailVerified: false, name: "x" })).toBeNull();
    const linked = await upsertOidcUser({ issuer, subject: "s1", email: user.email, emailVerified: true, name: "x" });
    expect(linked?.id).toBe(user.id);
    // Same subject later, even with a changed email: the same user.
    const again = await upsertOidcUser({ issuer, subject: "s1", email: "changed@example.test", emailVerified: true, name: "x" });
    expect(again?.id).toBe(user.id);
    const fresh = await upsertOidcUser({ issuer, subject: "s2", email: `${unique("n")}@example.test`, emailVerified: true, name: "New" });
    expect(fresh?.id).not.toBe(user.id);
    expect(fresh?.isSiteAdmin).toBe(false);
  });
});
