using AuthPlatform.Application.Auth.VerifyCredential;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;

namespace AuthPlatform.WebApi.Endpoints;

/// <summary>
/// <c>GET /api/v1/auth/verify</c>, the call an API gateway makes on every request. It is the one
/// endpoint served outside MVC (a minimal API route): still a thin mapping of HTTP to a query
/// through the mediator, without MVC's per-request action pipeline (docs/adr/0006).
/// </summary>
public static class VerifyEndpoint
{
    public static IEndpointRouteBuilder MapVerifyEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/auth/verify", VerifyAsync)
            .RequireAuthorization()
            .WithName("Verify")
            .WithTags("Auth")
            .WithSummary("Check a credential (for API gateways)")
            .WithDescription("Is this credential (JWT access token or API key) good, and what may it do? The call an API gateway makes on every request: "
                + "answers the subject, its scopes or permissions, and the credential's kind; 401 when it is not good.")
            .Produces<VerifyResponse>(StatusCodes.Status200OK)
            .Produces<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json");
        return endpoints;
    }

    private static async Task VerifyAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new VerifyCredentialQuery(http.Caller()), ct);
        if (!result.IsSuccess)
        {
            await Problems.WriteAsync(http, result.Error!);
            return;
        }

        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "application/json; charset=utf-8";
        using (var writer = new System.Text.Json.Utf8JsonWriter(http.Response.BodyWriter))
        {
            System.Text.Json.JsonSerializer.Serialize(writer, result.Value, HotPathJson.Default.VerifyResponse);
        }

        await http.Response.BodyWriter.FlushAsync(ct);
    }
}
