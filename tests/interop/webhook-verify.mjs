// Verifies Gatehouse's webhook signatures with the npm `standardwebhooks` package, an
// implementation independent of Gatehouse. Reads {secret, deliveries: [{id, timestamp,
// signature, body}]} on stdin; for each delivery prints whether the signature verifies as sent,
// and whether it (wrongly) verifies with one byte of the body changed.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, deliveries } = JSON.parse(input);
const wh = new Webhook(secret);
const results = deliveries.map((d) => {
  const headers = { "webhook-id": d.id, "webhook-timestamp": d.timestamp, "webhook-signature": d.signature };
  const attempt = (body) => {
    try {
      wh.verify(body, headers);
      return true;
    } catch {
      return false;
    }
  };
  const tampered = d.body.replace(/"subject":"/, '"subject":"x');
  return { id: d.id, verified: attempt(d.body), tamperedVerified: attempt(tampered), tamperedChanged: tampered !== d.body };
});
process.stdout.write(JSON.stringify({ results }));
