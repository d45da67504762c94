using System.Security.Claims;
using System.Text.Encodings.Web;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>
/// The one authentication scheme of the API. It reads <c>Authorization: Bearer</c>, picks the
/// validator by the credential's shape (a JWT access token now; API keys join later) and
/// answers challenges as RFC 6750 problems. Nothing here reads the database for a JWT.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccessTokenValidator accessTokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string FailureKey = "AuthPlatform.AuthFailure";
    private const string CallerKey = "AuthPlatform.Caller";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(ErrorCodes.InvalidToken, "Use the Bearer authorization scheme.");
        }

        var token = header["Bearer ".Length..].Trim();
        if (!accessTokens.LooksLikeJwt(token))
        {
            return Fail(ErrorCodes.InvalidToken, "The access token is malformed.");
        }

        var validation = await accessTokens.ValidateAsync(token, Context.RequestAborted);
        if (!validation.IsValid)
        {
            return Fail(validation.ErrorCode!, validation.ErrorDescription!);
        }

        var caller = validation.Caller!;
        Context.Items[CallerKey] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(ToPrincipal(caller), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[FailureKey] as Error
            ?? new Error(ErrorCodes.Unauthenticated, "Authentication is required: send an access token as 'Authorization: Bearer <token>'.");
        return Problems.WriteAsync(Context, error);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, new Error(ErrorCodes.Forbidden, "You are not allowed to do this."));

    /// <summary>The verified caller of this request (set by a successful authentication).</summary>
    public static CallerIdentityResult? GetCaller(HttpContext context) => context.Items[CallerKey] as CallerIdentityResult;

    private AuthenticateResult Fail(string code, string description)
    {
        Context.Items[FailureKey] = new Error(code, description);
        return AuthenticateResult.Fail(description);
    }

    private static ClaimsPrincipal ToPrincipal(CallerIdentityResult caller)
    {
        var identity = caller.Identity;
        var claims = new List<Claim> { new("sub", identity.Subject), new("auth_method", identity.Method) };
        claims.AddRange(identity.Scopes.Select(s => new Claim("scope", s)));
        if (caller.Role is not null)
        {
            claims.Add(new Claim("role", caller.Role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "sub", "role"));
    }
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller; only call behind <c>[Authorize]</c>.</summary>
    public static CallerIdentity Caller(this HttpContext context) =>
        (BearerAuthenticationHandler.GetCaller(context) ?? throw new InvalidOperationException("No authenticated caller.")).Identity;

    public static Guid CallerUserId(this HttpContext context) =>
        context.Caller().UserId ?? throw new InvalidOperationException("The caller is not a user.");
}
