using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using Mediator;

namespace AuthPlatform.Application.Auth.VerifyCredential;

/// <summary>
/// What an API gateway asks on every request: is this credential good, and what may it do?
/// Answered from the verified credential alone, with no database read.
/// </summary>
public sealed record VerifyCredentialQuery(CallerIdentity Caller) : IQuery<Result<VerifyResponse>>;

public sealed record VerifyResponse(
    bool Active, string Method, string Subject, IReadOnlyList<string> Scopes, string? ClientId, Guid? ApiKeyId, DateTimeOffset? ExpiresAt);

public sealed class VerifyCredentialHandler : IQueryHandler<VerifyCredentialQuery, Result<VerifyResponse>>
{
    public ValueTask<Result<VerifyResponse>> Handle(VerifyCredentialQuery query, CancellationToken cancellationToken)
    {
        var c = query.Caller;
        return ValueTask.FromResult<Result<VerifyResponse>>(
            new VerifyResponse(true, c.Method, c.Subject, c.Scopes, c.ClientId, c.ApiKeyId, c.ExpiresAt));
    }
}
