// Longer than 150 lines because one class holds the whole client authentication of every grant: the throttle slot, the credentials, the lookup, the constant-time comparison and the audited failure.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// Authenticates the client of a token request, for every grant: reads the presented credentials
/// (<see cref="PresentedClient.Read"/>), refuses an address that spent its budget of failures,
/// finds the client by <c>client_id</c> in this instance's <see cref="IClientRegistrationCache"/> or among the
/// <see cref="IClientStore"/>s (service accounts and registered OAuth clients) and compares the SHA-256 of the secret with each stored, unexpired one in
/// constant time. A public client presents its <c>client_id</c> only; one that sends a secret is refused. A failure is counted against the address, audited
/// (<see cref="ClientAuthenticationFailed"/>) and answered <c>invalid_client</c> with its
/// record kept (<see cref="Result{T}.Refused"/>).
/// </summary>
public sealed class ClientAuthentication(
    IEnumerable<IClientStore> stores,
    IClientRegistrationCache cache,
    IClientAuthenticationThrottle throttle,
    IClientContext client,
    IDomainEvents events,
    ISecretGenerator hasher,
    AuthMetrics metrics,
    TimeProvider clock)
{
    /// <summary>The field of a <c>rate_limited</c> error that holds the seconds to wait (for <c>Retry-After</c>).</summary>
    public const string RetryAfterField = "retry_after";

    public async Task<Result<ClientRegistration>> AuthenticateAsync(ClientCredentialsInput input, CancellationToken cancellationToken)
    {
        var address = ClientAddresses.ThrottleKey(client.IpAddress);
        if (await throttle.ReserveAsync(address, cancellationToken) is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            return new Error(
                ErrorCodes.RateLimited,
                $"Too many failed client authentications from this address. Retry after {seconds} seconds.",
                new Dictionary<string, string[]> { [RetryAfterField] = [seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] });
        }

        // The slot taken above is kept by a failure (every failure is invalid_client) and given back otherwise, an exception too.
        var failed = false;
        try
        {
            var result = await EvaluateAsync(input, cancellationToken);
            failed = result.IsFailure && result.Error!.Code == OAuthErrorCodes.InvalidClient;
            return result;
        }
        finally
        {
            throttle.Complete(address, failed);
        }
    }

    private async Task<Result<ClientRegistration>> EvaluateAsync(ClientCredentialsInput input, CancellationToken cancellationToken)
    {
        var presented = PresentedClient.Read(input);
        if (presented.IsFailure)
        {
            return presented.Error!.Code == OAuthErrorCodes.InvalidClient
                ? Fail(input.FormClientId, null, ClientAuthenticationFailures.Malformed,
                    string.IsNullOrEmpty(input.AuthorizationHeader) ? ClientAuthMethods.Post : ClientAuthMethods.Basic, presented.Error)
                : presented.Error!;
        }

        var credentials = presented.Value;
        var registration = await FindAsync(credentials.ClientId, cancellationToken);
        if (registration is null)
        {
            return Fail(credentials.ClientId, null, ClientAuthenticationFailures.UnknownClient, credentials.Method);
        }

        if (registration.IsConfidential)
        {
            if (credentials.Secret is null)
            {
                return Fail(registration.ClientId, registration.OwnerId, ClientAuthenticationFailures.NoSecret, credentials.Method);
            }

            var outcome = Match(registration, credentials.Secret);
            if (outcome is not null)
            {
                return Fail(registration.ClientId, registration.OwnerId, outcome, credentials.Method);
            }
        }
        else if (credentials.Secret is not null)
        {
            // A public client has no secret to present: sending one is a confused client.
            return Fail(registration.ClientId, registration.OwnerId, ClientAuthenticationFailures.WrongSecret, credentials.Method);
        }

        if (registration.OwnerDisabled)
        {
            return Fail(registration.ClientId, registration.OwnerId, ClientAuthenticationFailures.Disabled, credentials.Method);
        }

        return registration;
    }

    /// <summary>
    /// The client from this instance's cache (ADR 0015), else from its store, then kept. An unknown
    /// id is never kept: a client created a moment later is found at once.
    /// </summary>
    public async Task<ClientRegistration?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(clientId, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation;
        foreach (var store in stores)
        {
            if (await store.FindAsync(clientId, cancellationToken) is { } found)
            {
                cache.Store(found, generation);
                return found;
            }
        }

        return null;
    }

    /// <summary>Null when an unexpired secret matches; else why not. Every stored secret is compared, in constant time.</summary>
    private string? Match(ClientRegistration registration, string secret)
    {
        var presentedHash = Encoding.ASCII.GetBytes(hasher.Hash(secret));
        var now = clock.GetUtcNow();
        var active = false;
        var expired = false;
        foreach (var stored in registration.Secrets)
        {
            var equal = CryptographicOperations.FixedTimeEquals(presentedHash, Encoding.ASCII.GetBytes(stored.Hash));
            var live = stored.ExpiresAt is null || stored.ExpiresAt > now;
            active |= equal && live;
            expired |= equal && !live;
        }

        return active ? null : expired ? ClientAuthenticationFailures.ExpiredSecret : ClientAuthenticationFailures.WrongSecret;
    }

    /// <summary>The text with each control (Cc) or format (Cf: bidi overrides, zero-width characters) character replaced by '?'.</summary>
    public static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c));

    private Result<ClientRegistration> Fail(string? clientId, Guid? ownerId, string reason, string method, Error? error = null)
    {
        metrics.ClientAuthenticationFailed(reason);
        // The id is the client's input: clipped, and without control or format characters (LOG-03;
        // Unicode category Cf holds the bidirectional overrides that reorder a log line as shown).
        var shownId = clientId is { Length: > 0 } id ? Printable(id.Length <= 128 ? id : id[..128]) : null;
        events.Raise(new ClientAuthenticationFailed(shownId, ownerId, reason, method));
        return Result<ClientRegistration>.Refused(error ?? OAuthErrors.InvalidClient);
    }
}
