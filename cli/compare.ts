/** `netlake compare` (implemented in the next commit). */
export async function run(): Promise<number> {
  console.error('netlake compare: not implemented yet')
  return 1
}
