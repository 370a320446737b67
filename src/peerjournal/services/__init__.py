"""The rules of peerjournal. Services return values and raise PeerJournalError; they never print."""
