using AuthPlatform.Application.Auth.VerifyCredential;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using Mediator;

namespace AuthPlatform.WebApi.Endpoints;

/// <summary>
/// <c>GET /api/v1/auth/verify</c>, the call an API gateway makes on every request. It is the one
/// endpoint served outside MVC (a minimal API route): still a thin mapping of HTTP to a query
/// through the mediator, without MVC's per-request action pipeline (docs/adr/0006), and without
/// an authorization policy (any verified caller may ask; the endpoint challenges when there is none).
/// </summary>
public static class VerifyEndpoint
{
    public static IEndpointRouteBuilder MapVerifyEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/auth/verify", VerifyAsync)
            .WithMetadata(new AuthenticatedCallerAttribute()) // checked here, not by the authorization middleware
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
        // Any verified caller may ask: no policy to evaluate, so the authorization middleware has nothing
        // to do here; without a caller, the scheme's challenge answers (401 and its reason, or 429).
        if (BearerAuthenticationHandler.GetCaller(http) is not { } caller)
        {
            await http.ChallengeAsync();
            return;
        }

        var result = await sender.Send(new VerifyCredentialQuery(caller.Identity), ct);
        if (!result.IsSuccess)
        {
            await Problems.WriteAsync(http, result.Error!);
            return;
        }

        // The handler answers a remembered credential with the same answer object: its JSON is made once.
        var body = Bodies.GetValue(result.Value!, static answer => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(answer, HotPathJson.Default.VerifyResponse));
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = body.Length;
        await http.Response.BodyWriter.WriteAsync(body, ct);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<VerifyResponse, byte[]> Bodies = new();
}
