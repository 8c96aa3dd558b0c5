// POST /api/v1/secret-scanning/github – GitHub's secret scanning partner reports: verify the signature, revoke the leaked keys
import { reportGitHubSecretScanning } from "@/server/leaks/endpoints";
import { handlePublic } from "@/server/leaks/handle-public";
import { receiveGitHubReport } from "@/server/leaks/report-leaks";

export const POST = handlePublic(reportGitHubSecretScanning, receiveGitHubReport);
