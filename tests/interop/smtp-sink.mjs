// A local SMTP sink (npm `smtp-server`) for the notification tests: listens on 127.0.0.1 at a
// free port, prints {"port": N} once listening, then one JSON line per message received
// ({from, to, data}). Accepts any login; no TLS (loopback only).
import { SMTPServer } from "smtp-server";

const server = new SMTPServer({
  secure: false,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  authOptional: true,
  onAuth(auth, session, callback) {
    callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    let data = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => (data += chunk));
    stream.on("end", () => {
      process.stdout.write(JSON.stringify({
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        user: session.user ?? null,
        data,
      }) + "\n");
      callback();
    });
  },
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.server.address().port }) + "\n");
});
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
