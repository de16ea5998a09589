"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ReaderTimeProvider } from "./time";

/** `timeZone` and `now`: the reader's zone and the server's clock at rendering, for every <Time>. */
export function Providers({ timeZone, now, children }: { timeZone: string; now: string; children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, refetchInterval: 30_000 } } }));
  return (
    <QueryClientProvider client={client}>
      <ReaderTimeProvider timeZone={timeZone} now={now}>
        {children}
      </ReaderTimeProvider>
    </QueryClientProvider>
  );
}
