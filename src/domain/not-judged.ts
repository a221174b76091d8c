// Why a delivery is recorded without being judged, in words shared by every event's path.

/** Without an installation, requests would go out with the App's own credentials: never judge on those. */
export const NO_INSTALLATION = "the webhook names no installation: repol judges only repositories it is installed on";
