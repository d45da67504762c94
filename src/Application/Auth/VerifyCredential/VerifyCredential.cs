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

/// <summary>
/// The answer is remembered with the verified caller it describes (a remembered credential hands back
/// the same caller object), for as long as that caller is: the same answer object each time, so the
/// web layer can remember its bytes too (issue 13).
/// </summary>
public sealed class VerifyCredentialHandler : IQueryHandler<VerifyCredentialQuery, Result<VerifyResponse>>
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CallerIdentity, VerifyResponse> Answers = new();

    public ValueTask<Result<VerifyResponse>> Handle(VerifyCredentialQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Result<VerifyResponse>.Success(Answers.GetValue(query.Caller, static c =>
            new VerifyResponse(true, c.Method, c.Subject, c.Scopes, c.ClientId, c.ApiKeyId, c.ExpiresAt))));
}
