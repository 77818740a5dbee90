namespace Gatehouse.Server.Demo;

/// <summary>Tells the person who ran <c>serve --demo</c> where to go and how to act as each user.</summary>
internal static class DemoBanner
{
    public static void Write(TextWriter output, string url, string bootstrapToken, IReadOnlyList<DemoSeeder.DemoUser> users)
    {
        output.WriteLine();
        output.WriteLine("Demo organisation `acme` loaded (examples/acme). This data lives in a temporary folder and is for trying things out.");
        output.WriteLine($"  Portal:      {url}/   (pick a demo user to sign in)");
        output.WriteLine($"  API:         {url}/openapi/v1.json");
        output.WriteLine();
        output.WriteLine("Act as a user from the CLI:");
        output.WriteLine($"  export GATEHOUSE_URL={url}");
        foreach (var user in users)
        {
            var role = user.IsAdmin ? "admin" : string.Join(", ", user.Teams.Select(t => "team:" + t));
            output.WriteLine($"  export GATEHOUSE_TOKEN={user.Token}   # {user.Name} ({role})");
        }

        output.WriteLine($"  export GATEHOUSE_TOKEN={bootstrapToken}   # bootstrap admin");
        output.WriteLine();
        output.WriteLine("Then try: gatehouse requests --mine, gatehouse approve ID, gatehouse check --env production examples/acme");
        output.WriteLine("Press Ctrl+C to stop.");
    }
}
