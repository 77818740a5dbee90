using System.CommandLine;
using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Commands;

/// <summary><c>gatehouse approve</c> and <c>gatehouse deny</c>: an owner's decision on a request.</summary>
internal static class DecideRequestCommand
{
    public static Command CreateApprove(CliContext context) => Create("approve", context, commentRequired: false, "Approve an access request for a scope of an app you own (or as an admin). A two-owners scope needs a second, different owner. You cannot approve your own request.").With("gatehouse approve 42\ngatehouse approve 42 --comment \"Checked with the data protection officer\"\ngatehouse approve 42 --emergency --comment \"Payment outage INC-812: needs it during the freeze\"");

    public static Command CreateDeny(CliContext context) => Create("deny", context, commentRequired: true, "Deny an access request; the comment tells the requester why.").With("gatehouse deny 42 --comment \"Use the public profile API instead\"");

    private static Command Create(string verb, CliContext context, bool commentRequired, string description)
    {
        var output = context.Out;
        var error = context.Error;
        var id = new Argument<long>("ID") { Description = "The request id (see `gatehouse requests`)" };
        var comment = new Option<string?>("--comment", "-m") { Description = commentRequired ? "Why (required)" : "Why (optional)", Required = commentRequired };
        var server = new ServerCommandOptions();
        var command = new Command(verb, description) { id, comment };
        var emergency = new Option<bool>("--emergency")
        {
            Description = "Approve during a freeze of the environment (admins only, with --comment); the grant is flagged as an emergency in the audit log, the portal and exports",
        };
        if (verb == "approve")
        {
            command.Options.Add(emergency);
        }

        server.AddTo(command);
        command.SetAction((parse, ct) => server.RunAsync(parse, error, async client =>
        {
            var requestId = parse.GetValue(id);
            var response = await client.PostIdempotentAsync($"requests/{requestId}/{verb}", verb == "approve" && parse.GetValue(emergency)
                ? new { comment = parse.GetValue(comment), emergency = true }
                : (object)new { comment = parse.GetValue(comment) }, ct);
            if (!response.Ok)
            {
                return await ServerCommandOptions.FailAsync(error, response);
            }

            var r = response.Body!;
            var key = r["key"]!;
            var votes = r["votes"]?.AsArray().Count ?? 0;
            var progress = r["state"]!.ToString() == "pending" ? $" ({votes} of 2 approvals; waiting for a second owner)" : string.Empty;
            await output.WriteLineAsync($"request {requestId}: {key["consumer"]} -> {key["provider"]}:{key["scope"]} in {key["environment"]} is {r["state"]}{progress}");
            return 0;
        }));
        return command;
    }
}
