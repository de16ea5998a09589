// The reader's time zone, for pages rendered on the server: the browser stores it in a cookie
// (components/time.tsx); it is read once per request and checked against the zones this runtime
// knows (parseTimeZone), else UTC.
import { cookies } from "next/headers";
import { cache } from "react";
import { parseTimeZone, READER_TIME_ZONE_COOKIE } from "../domain/format";

export const readerTimeZone = cache(async (): Promise<string> => parseTimeZone((await cookies()).get(READER_TIME_ZONE_COOKIE)?.value));
