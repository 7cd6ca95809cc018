/** The dashboard: sign-in until there is a session, then pages, variants and the editor. */
import { useEffect, useMemo, useState } from "preact/hooks";
import { createApi } from "./api.ts";
import { SignIn } from "./components/sign-in.tsx";
import { Workspace } from "./components/workspace.tsx";
import { clearSession, loadSession, saveSession } from "./session.ts";
import type { Session } from "./types.ts";

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [expired, setExpired] = useState("");
  const api = useMemo(
    () =>
      createApi(
        location.origin,
        () => session?.token,
        () => {
          clearSession();
          setExpired("The server refused your token (expired or not valid). Sign in again.");
          setSession(undefined);
        },
      ),
    [session],
  );

  useEffect(() => {
    document.title = session ? "Tessera · Layouts" : "Tessera · Sign in";
  }, [session]);

  if (!session) {
    return (
      <SignIn
        notice={expired}
        check={(candidate) =>
          createApi(
            location.origin,
            () => candidate.token,
            () => {},
          ).listPages()
        }
        onSignIn={(signedIn) => {
          saveSession(signedIn);
          setExpired("");
          setSession(signedIn);
        }}
      />
    );
  }
  return (
    <Workspace
      api={api}
      session={session}
      onSignOut={() => {
        clearSession();
        setSession(undefined);
      }}
    />
  );
}
