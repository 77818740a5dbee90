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

// The scope each endpoint needs comes from the app's own gatehouse.yaml (`routes:` on each
// scope), the file its owners approve access by: no scope is written per endpoint here. A
// request no route matches is refused (403); /healthz stays open for probes.
var manifest = Path.Combine(app.Environment.ContentRootPath, builder.Configuration["Gatehouse:Manifest"] ?? "gatehouse.yaml");
app.UseGatehouseRoutes(manifest, "/healthz");
app.UseAuthorization();

app.MapGet("/customers/{id}", (string id, HttpContext http) => Results.Ok(new { id, name = "Ada Lovelace", caller = http.User.Identity?.Name }));
app.MapPatch("/customers/{id}", (string id) => Results.NoContent());
app.MapGet("/customers/{id}/addresses", (string id) => Results.Ok(new[] { new { id = "home", city = "London" } }));
app.MapGet("/healthz", () => "ok");

app.Run();

/// <summary>Visible to tests that host the sample.</summary>
public partial class Program;
