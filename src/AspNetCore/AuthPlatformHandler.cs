using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// The AuthPlatform scheme. It reads the credential from the places the server accepts it
/// (<c>Authorization: Bearer &lt;token or key&gt;</c>, <c>Authorization: &lt;key&gt;</c>,
/// <c>X-API-Key: &lt;key&gt;</c>; never from the URL), checks a JWT access token locally against
/// the server's JWKS and sends anything else to the server's <c>/verify</c> as an API key.
/// Failures are answered as the server's problems.
/// </summary>
public sealed class AuthPlatformHandler(IOptionsMonitor<AuthPlatformOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthPlatformOptions>(options, logger, encoder)
{
    private const string FailureKey = "AuthPlatform.AuthFailure";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var credential = ReadCredential(out var fromApiKeyHeader);
        if (credential is null)
        {
            return AuthenticateResult.NoResult();
        }

        var state = State;
        Outcome outcome;
        if (!fromApiKeyHeader && JwtValidator.LooksLikeJwt(credential))
        {
            outcome = await state.Tokens.ValidateAsync(credential, Context.RequestAborted);
        }
        else if (Options.AcceptApiKeys)
        {
            outcome = await state.ApiKeys.VerifyAsync(credential, Context.RequestAborted);
        }
        else
        {
            outcome = Outcome.Refused(AuthPlatformErrors.InvalidToken, "Only access tokens are accepted here.");
        }

        if (!outcome.Succeeded)
        {
            Context.Items[FailureKey] = outcome;
            return AuthenticateResult.Fail(outcome.ErrorDescription!);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(outcome.Principal!, Scheme.Name));
    }

    private string? ReadCredential(out bool fromApiKeyHeader)
    {
        fromApiKeyHeader = false;
        var header = Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(header))
        {
            return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : header.Trim();
        }

        var apiKey = Request.Headers["X-API-Key"].ToString();
        if (!string.IsNullOrEmpty(apiKey))
        {
            fromApiKeyHeader = true;
            return apiKey.Trim();
        }

        return null;
    }

    private AuthPlatformState State
    {
        get
        {
            var options = Options;
            if (options.State is { } state)
            {
                return state;
            }

            lock (options.StateLock)
            {
                return options.State ??= new AuthPlatformState(options, Scheme.Name, TimeProvider, Logger);
            }
        }
    }

    /// <summary>The scheme's state, for tests and diagnostics (JWKS fetches, /verify calls).</summary>
    internal static AuthPlatformState StateOf(AuthPlatformOptions options) =>
        options.State ?? throw new InvalidOperationException("The scheme has not handled a request yet.");

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureKey] as Outcome;
        return failure is null
            ? ProblemWriter.WriteAsync(Context, AuthPlatformErrors.Unauthenticated, "Authentication is required: send an access token as 'Authorization: Bearer <token>' or an API key as 'X-API-Key: <key>'.", Options.Realm)
            : ProblemWriter.WriteAsync(Context, failure.ErrorCode!, failure.ErrorDescription!, Options.Realm);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, AuthPlatformErrors.Forbidden, "You are not allowed to do this.", Options.Realm);
}
