// A service that receives Gatehouse tokens: the `customers` app of the example organisation.
// Run it beside `gatehouse serve --demo`, then call it with a token from the token endpoint
// (see README.md in this folder).
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGatehouseTokens(options =>
{
    options.Authority = builder.Configuration["Gatehouse:Authority"];
    options.App = "customers";
    options.Environment = builder.Configuration["Gatehouse:Environment"];
    options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

// One line per endpoint: the scope a caller's token must carry.
app.MapGet("/profiles/{id}", (string id) => Results.Ok(new { id, name = "Ada Lovelace" }))
    .RequireScope("customers:profile.read");

app.MapPut("/profiles/{id}", (string id) => Results.NoContent())
    .RequireScope("customers:profile.write");

app.MapGet("/healthz", () => "ok").AllowAnonymous();

app.Run();

/// <summary>Visible to tests that host the sample.</summary>
public partial class Program;
