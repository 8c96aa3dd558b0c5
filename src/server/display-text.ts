// Control characters (a name typed with a tab, a forged header) never reach a reader's terminal or page as such:
// what the API shows of text a client sent has them as spaces. Pure: any module may import it.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

export function displayText(text: string | null): string | null {
  return text === null ? null : text.replace(CONTROL_CHARACTERS, " ");
}
