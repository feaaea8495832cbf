/** Bytes as a message shows them: `0xFC 0x6C`. */
export const shownBytes = (bytes: readonly number[]) => bytes.map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
