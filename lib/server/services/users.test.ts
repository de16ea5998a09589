import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { makeUser, unique } from "../testing/factories";
import { accountOf, changePassword, createUser, listUsers, removeUser, updateUser, upsertOidcUser, verifyCredentials } from "./users";
import { endAllSessionsFor, endSession, endSessionFor, listSessions, purgeExpired, sessionUser, startSession } from "./sessions";

const client = { userAgent: "Mozilla/5.0 (test)", address: "192.0.2.7" };

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
    // Locked: the same answer as a wrong password or an unknown email (no account enumeration).
    const during = new Date("2026-12-01T10:14:59Z");
    expect(await verifyCredentials(good, during)).toBeNull();
    expect(await verifyCredentials(bad, during)).toBeNull();
    expect(await verifyCredentials({ email: "nobody@example.test", password: good.password }, during)).toBeNull();
    // When the lock ends the right password works; the owner's account page tells of the lock.
    const me = await verifyCredentials(good, new Date("2026-12-01T10:15:00Z"));
    expect(me).toMatchObject({ email });
    expect(await prisma().user.findUniqueOrThrow({ where: { email } })).toMatchObject({ failedSignIns: 0 });
    expect(await accountOf({ kind: "user", userId: me!.id, isSiteAdmin: false }, new Date("2026-12-01T10:16:00Z"))).toMatchObject({
      lastLock: { from: "2026-12-01T10:00:00.000Z", until: "2026-12-01T10:15:00.000Z", endedAlready: true },
    });
    const row = (await listUsers(actor, new Date("2026-12-01T10:05:00Z"))).find((u) => u.email === email);
    expect(row).toMatchObject({ lockedUntil: "2026-12-01T10:15:00.000Z", lastLockedAt: "2026-12-01T10:00:00.000Z" });
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

  it("hold sessions on the server: signing out, ending from the list, disabling, removing and a password change end them", async () => {
    const { actor: admin } = await makeUser({ isSiteAdmin: true });
    const email = `${unique("s")}@example.test`;
    const person = await createUser(admin, { name: "S", email, password: "correct horse battery", isSiteAdmin: false });
    const claims = async () => ({ uid: person.id, sid: await startSession(person.id, "password", client) });
    const laptop = await claims();
    const phone = await claims();
    expect(await sessionUser(laptop)).toMatchObject({ id: person.id, email });
    // Forged or mismatched claims are nobody.
    expect(await sessionUser({ uid: admin.userId, sid: laptop.sid })).toBeNull();
    expect(await sessionUser({ uid: person.id, sid: "not-a-uuid" })).toBeNull();
    expect(await sessionUser({ uid: person.id })).toBeNull();
    // Expired: nobody, though the cookie's own signature would still be good; the hourly job then drops the row.
    const later = new Date(Date.now() + 13 * 3600_000);
    expect(await sessionUser(laptop, later)).toBeNull();
    const old = await startSession(person.id, "password", client, new Date(Date.now() - 13 * 3600_000));
    expect((await purgeExpired()).sessions).toBeGreaterThanOrEqual(1);
    expect(await prisma().session.findUnique({ where: { id: old } })).toBeNull();
    expect(await sessionUser(laptop)).not.toBeNull();

    const me = { kind: "user" as const, userId: person.id, isSiteAdmin: false, sessionId: laptop.sid };
    const listed = await listSessions(me, person.id);
    expect(listed.map((s) => [s.id, s.current])).toEqual([[phone.sid, false], [laptop.sid, true]]);
    expect(listed[0]).toMatchObject({ method: "password", userAgent: client.userAgent, address: client.address });
    // Another person cannot see or end them: "not found", as for an unknown id.
    const { actor: other } = await makeUser();
    await expect(listSessions(other, person.id)).rejects.toMatchObject({ status: 404 });
    await expect(endSessionFor(other, person.id, phone.sid)).rejects.toMatchObject({ status: 404 });
    // Ending one from the list, and signing out.
    await endSessionFor(me, person.id, phone.sid);
    expect(await sessionUser(phone)).toBeNull();
    await endSession(laptop.sid);
    expect(await sessionUser(laptop)).toBeNull();

    // A password change ends every other session and keeps the one it was made from.
    const a = await claims();
    const b = await claims();
    const fromA = { ...me, sessionId: a.sid };
    await expect(changePassword(fromA, { currentPassword: "wrong horse battery", newPassword: "a new horse battery" })).rejects.toMatchObject({ status: 422, fields: { currentPassword: expect.any(String) } });
    expect(await changePassword(fromA, { currentPassword: "correct horse battery", newPassword: "a new horse battery" })).toEqual({ sessionsEnded: 1 });
    expect(await sessionUser(a)).not.toBeNull();
    expect(await sessionUser(b)).toBeNull();
    expect(await verifyCredentials({ email, password: "a new horse battery" })).toMatchObject({ email });

    // A site admin ends them all, or disables the account: its sessions end and it cannot sign in.
    const c = await claims();
    expect((await listSessions(admin, person.id)).length).toBe(2);
    expect(await endAllSessionsFor(admin, person.id)).toEqual({ ended: 2 });
    expect(await sessionUser(a)).toBeNull();
    const d = await claims();
    expect(await updateUser(admin, person.id, { disabled: true })).toMatchObject({ disabled: true, sessions: 0 });
    expect(await sessionUser(d)).toBeNull();
    expect(await sessionUser(c)).toBeNull();
    expect(await verifyCredentials({ email, password: "a new horse battery" })).toBeNull();
    await updateUser(admin, person.id, { disabled: false });
    const e = await claims();
    expect(await sessionUser(e)).not.toBeNull();
    // Removing the account ends its sessions with it; nobody can remove or disable themselves.
    await expect(updateUser(admin, (admin as { userId: string }).userId, { disabled: true })).rejects.toMatchObject({ status: 409 });
    await expect(updateUser(other, person.id, { disabled: true })).rejects.toMatchObject({ status: 403 });
    await removeUser(admin, person.id);
    expect(await sessionUser(e)).toBeNull();
    await expect(removeUser(admin, person.id)).rejects.toMatchObject({ status: 404 });
  });
});
