/** Sign-in with an operator (or viewer) token; the server checks it before the dashboard opens. */
import { useState } from "preact/hooks";
import { ApiFailure } from "../api.ts";
import { parseToken } from "../session.ts";
import type { Session } from "../types.ts";

interface Props {
  notice: string;
  check: (session: Session) => Promise<unknown>;
  onSignIn: (session: Session) => void;
}

export function SignIn({ notice, check, onSignIn }: Props) {
  const [token, setToken] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const session = parseToken(token);
    if (typeof session === "string") return setError(session);
    setBusy(true);
    setError("");
    try {
      await check(session);
      onSignIn(session);
    } catch (failure) {
      const message = failure instanceof ApiFailure ? failure.message : String(failure);
      setError(
        failure instanceof ApiFailure && failure.kind === "forbidden"
          ? `This token has no operator or viewer role: ${message}`
          : `The server refused this token: ${message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form class="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true" />
          Tessera
        </div>
        <h1 id="sign-in-title">Sign in to page layouts</h1>
        <p class="muted">
          Paste an operator token. For development: <code>npm run token -- --user alice --role operator</code> (or{" "}
          <code>--role viewer</code> for a read-only view).
        </p>
        {notice && <p class="notice warn">{notice}</p>}
        <label class="field">
          <span class="field-label">Token</span>
          <textarea
            name="token"
            rows={4}
            spellcheck={false}
            autoComplete="off"
            value={token}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "token-error" : undefined}
            onInput={(event) => setToken(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="field-error" id="token-error" role="alert">
            {error}
          </p>
        )}
        <button class="button primary" type="submit" disabled={busy || token.trim() === ""}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
